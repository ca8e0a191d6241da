"""Working-day arithmetic on the official calendar (holidays and make-up workdays, 调休).

Years the table covers use it; any other year falls back to Monday-Friday, and every result
that touched such a year is marked provisional, so that pages can say so instead of guessing.
"""

import time
from dataclasses import dataclass
from datetime import date, timedelta

_CACHE_SECONDS = 60
_cache: tuple[float, "WorkCalendar"] | None = None


@dataclass(frozen=True)
class Dated:
    """A computed date, and whether it rests on a year without an official calendar."""

    day: date
    provisional: bool


class WorkCalendar:
    def __init__(self, exceptions: dict[date, bool], covered_years: set[int]):
        self.exceptions = exceptions
        self.covered_years = frozenset(covered_years)

    def covers(self, day: date) -> bool:
        return day.year in self.covered_years

    def is_working_day(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> Dated:
        """The day `days` working days after `start` (`start` itself does not count).

        Zero days from a non-working day is the next working day.
        """
        provisional = not self.covers(start)
        current = start
        if days == 0:
            while not self.is_working_day(current):
                current += timedelta(days=1)
                provisional |= not self.covers(current)
            return Dated(current, provisional)
        while days > 0:
            current += timedelta(days=1)
            provisional |= not self.covers(current)
            if self.is_working_day(current):
                days -= 1
        return Dated(current, provisional)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: the inverse of add_working_days."""
        if end <= start:
            return 0
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )

    def add_calendar_days(self, start: date, days: int) -> Dated:
        """Calendar days; a period ending on a rest day ends on the next working day instead
        (the general rule for statutory periods)."""
        end = start + timedelta(days=days)
        rolled = self.add_working_days(end, 0)
        # Whether the end falls on a rest day depends on that year's calendar.
        return Dated(rolled.day, rolled.provisional or not self.covers(end))


def load_calendar(*, fresh: bool = False) -> WorkCalendar:
    """The calendar from the database, cached in the process for a minute."""
    global _cache
    now = time.monotonic()
    if not fresh and _cache is not None and now - _cache[0] < _CACHE_SECONDS:
        return _cache[1]
    from casework.clocks.models import CalendarDay, CalendarYear

    calendar = WorkCalendar(
        dict(CalendarDay.objects.values_list("date", "is_working_day")),
        set(CalendarYear.objects.values_list("year", flat=True)),
    )
    _cache = (now, calendar)
    return calendar


def forget_calendar(**_kwargs) -> None:
    """Drop the cached calendar (after an admin edits it, and in tests)."""
    global _cache
    _cache = None
