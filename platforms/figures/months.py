"""The months a figures page covers: whole calendar months, Beijing time."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

DEFAULT_MONTHS = 12
MAX_MONTHS = 60  # five years: beyond that a table is no longer read, and the query grows


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MonthRange:
    """From the first day of `first` to the last day of `last` (both first days of months)."""

    first: date
    last: date

    @classmethod
    def default(cls, today: date | None = None) -> "MonthRange":
        """The last twelve months, this one included."""
        this_month = month_start(today or timezone.localdate())
        return cls(add_months(this_month, 1 - DEFAULT_MONTHS), this_month)

    @property
    def end(self) -> date:
        """The first day after the range."""
        return add_months(self.last, 1)

    @property
    def months(self) -> list[date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        return [add_months(self.first, offset) for offset in range(count + 1)]

    def query(self) -> str:
        return f"since={self.first:%Y-%m}&until={self.last:%Y-%m}"
