"""Case reference numbers such as BJ-2026-000123: unique and sequential per year."""

from django.conf import settings
from django.db import connection
from django.utils import timezone

from casework.intake.models import ReferenceCounter


def _take(count: int) -> tuple[str, int, int]:
    """Move the current year's counter on by `count`; (prefix, year, first number taken).

    One statement: the counter row is created if the year has none, else incremented, and the
    row stays locked until the transaction ends (INSERT ... ON CONFLICT DO UPDATE locks it as
    an UPDATE does), so concurrent filings queue for it and never share or skip a number; a
    writer that waited increments the number the other committed."""
    prefix = settings.ANXIN_REFERENCE_PREFIX
    year = timezone.localdate().year
    quote = connection.ops.quote_name
    table = quote(ReferenceCounter._meta.db_table)
    last = quote("last")
    sql = (
        f"INSERT INTO {table} ({quote('prefix')}, {quote('year')}, {last}) "  # noqa: S608
        f"VALUES (%s, %s, %s) ON CONFLICT ({quote('prefix')}, {quote('year')}) "
        f"DO UPDATE SET {last} = {table}.{last} + EXCLUDED.{last} RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, year, count])
        (new_last,) = cursor.fetchone()
    return prefix, year, new_last - count + 1


def next_references(count: int) -> list[str]:
    """`count` consecutive numbers at once (an import), under the same lock as one."""
    prefix, year, first = _take(count)
    return [f"{prefix}-{year}-{number:06d}" for number in range(first, first + count)]


def next_reference() -> str:
    """Issue the next number of the current (Asia/Shanghai) year. Call inside a transaction.

    The counter row is locked until the transaction ends, so concurrent filings queue for it
    and never share or skip a number.
    """
    prefix, year, number = _take(1)
    return f"{prefix}-{year}-{number:06d}"
