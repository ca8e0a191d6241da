"""Warnings at intake when a time limit of the law may already have passed (never refusals).

- Arbitration (劳动争议调解仲裁法 §27): one year from when the worker knew of the infringement;
  for pay owed during employment, one year from the end of the employment instead, so a worker
  still working there is within the limit.
- Inspection look-back (劳动保障监察条例 §20): violations older than two years are not
  investigated.
The exact starting point is for staff to judge: the period's end is what intake knows.
"""

from datetime import date

from django.utils.translation import gettext as _


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def limitation_warnings(*, period_end: date, still_working: bool | None, today: date) -> list[str]:
    warnings = []
    if period_end < _years_before(today, 2):
        warnings.append(
            _(
                "The period ended more than two years ago: labour inspection may no longer be "
                "able to act on it. Mediation is still possible if the employer agrees."
            )
        )
    if period_end < _years_before(today, 1) and not still_working:
        warnings.append(
            _(
                "The period ended more than a year ago: the one-year limit for labour arbitration "
                "may have passed. A coordinator will check this with you."
            )
        )
    return warnings
