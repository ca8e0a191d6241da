"""Working-day arithmetic, Monday to Friday.

Issue 4 replaces this with the official calendar (holidays and make-up workdays); until then
every date computed here is provisional and pages say so.
"""

from datetime import date, timedelta


def add_working_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
