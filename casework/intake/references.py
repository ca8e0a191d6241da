"""Case reference numbers such as BJ-2026-000123: unique and sequential per year."""

from django.conf import settings
from django.utils import timezone

from casework.intake.models import ReferenceCounter


def next_references(count: int) -> list[str]:
    """`count` consecutive numbers at once (an import), under the same lock as one."""
    prefix = settings.ANXIN_REFERENCE_PREFIX
    year = timezone.localdate().year
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(prefix=prefix, year=year, last=0)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [f"{prefix}-{year}-{number:06d}" for number in range(first, first + count)]


def next_reference() -> str:
    """Issue the next number of the current (Asia/Shanghai) year. Call inside a transaction.

    The counter row is locked until the transaction ends, so concurrent filings queue for it
    and never share or skip a number.
    """
    prefix = settings.ANXIN_REFERENCE_PREFIX
    year = timezone.localdate().year
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(prefix=prefix, year=year, last=0)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"
