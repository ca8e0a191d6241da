"""The ranges outside which no input is believed: dates (2000 to 2100) and ids (64-bit).

A year 1 or 9999 stored on PostgreSQL becomes a timestamp the driver cannot read back (every
page showing it answers 500), and a selector adding a day to 9999-12-31 overflows; an id above
2**63 - 1 overflows SQLite. Forms get these checks from `casework.core.forms.Form`, URLs from
the `id` path converter, services and views that read raw input from the functions below.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)
MAX_ID = 2**63 - 1
MIN_INT = -(2**63)


def date_out_of_bounds(value, *, low: date = MIN_DATE, high: date = MAX_DATE) -> bool:
    if value is None:
        return False
    if isinstance(value, datetime):
        try:
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        except OverflowError:  # year 1 or 9999 moved to another time zone
            return True
    return not low <= value <= high


def date_bounds_message(low: date = MIN_DATE, high: date = MAX_DATE) -> str:
    return _("Enter a date between %(low)s and %(high)s.") % {
        "low": f"{low:%Y-%m-%d}",
        "high": f"{high:%Y-%m-%d}",
    }


def check_date_bounds(**values) -> None:
    """For services: refuse any of `values` (dates or datetimes, by field name) outside the
    sane range, naming the field."""
    for name, value in values.items():
        if date_out_of_bounds(value):
            raise ActionRefused(date_bounds_message(), field=name)


def parse_id(raw) -> int | None:
    """An id typed or posted as text: ASCII digits only, 1..2**63-1; anything else is None.

    (`str.isdigit()` accepts "²" and fullwidth digits, and `int()` then fails or overflows.)
    """
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 1 <= raw <= MAX_ID else None
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def parse_ids(values, *, limit: int = 500) -> list[int]:
    """The valid ids among `values` (see `parse_id`), at most `limit` of them."""
    return [value for value in map(parse_id, values) if value is not None][:limit]
