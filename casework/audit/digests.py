"""Each day's seal: recording it (`manage.py audit_digest`), reading it (supervisors and
administrators), exporting it as JSON for the city bureau."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from casework.audit.chain import lock_chain
from casework.audit.merkle import merkle_root
from casework.audit.models import GENESIS, ChainEntry, DailyDigest
from casework.core.errors import NotFound
from casework.organisation.access import scope_for

FORMAT = "anxin-audit-digest/1"


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The day from midnight to midnight Beijing time (the project's time zone)."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, start + dt.timedelta(days=1)


def digest_record(*, day: dt.date, actor=None) -> DailyDigest:
    """Seal a day that has ended: the Merkle root of its entries and the chain head after it.
    Idempotent: a day already sealed keeps its first digest. Takes the chain's lock, so no
    writer appends while the day is read."""
    del actor  # a command or the sweep records digests; kept for the services' signature
    start, end = day_bounds(day)
    if end > timezone.now():
        raise ValueError("the day has not ended yet")
    with transaction.atomic():
        lock_chain()
        existing = DailyDigest.objects.filter(day=day).first()
        if existing is not None:
            return existing
        rows = list(
            ChainEntry.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
            .order_by("seq")
            .values_list("seq", "hash")
        )
        head = (
            ChainEntry.objects.filter(recorded_at__lt=end)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        ) or (0, GENESIS)
        return DailyDigest.objects.create(
            day=day,
            first_seq=rows[0][0] if rows else None,
            last_seq=rows[-1][0] if rows else None,
            entries=len(rows),
            head_seq=head[0],
            head_hash=head[1],
            merkle_root=merkle_root([h for _s, h in rows]),
            recorded_at=timezone.now(),
        )


def digests_record_missing(*, until: dt.date | None = None) -> list[DailyDigest]:
    """Seal every ended day since the last digest (or the first entry): what the nightly
    command does, so a missed night is caught up."""
    until = until or timezone.localdate() - dt.timedelta(days=1)
    last = DailyDigest.objects.order_by("-day").values_list("day", flat=True).first()
    if last is None:
        first = ChainEntry.objects.order_by("seq").values_list("recorded_at", flat=True).first()
        if first is None:
            return []
        day = timezone.localdate(first)
    else:
        day = last + dt.timedelta(days=1)
    recorded = []
    while day <= until:
        recorded.append(digest_record(day=day))
        day += dt.timedelta(days=1)
    return recorded


def digest_as_dict(digest: DailyDigest) -> dict:
    """The exported form: everything a holder needs to check the chain later."""
    return {
        "format": FORMAT,
        "day": digest.day.isoformat(),
        "time_zone": str(timezone.get_default_timezone()),
        "first_seq": digest.first_seq,
        "last_seq": digest.last_seq,
        "entries": digest.entries,
        "head_seq": digest.head_seq,
        "head_hash": digest.head_hash,
        "merkle_root": digest.merkle_root,
        "recorded_at": digest.recorded_at.isoformat(),
        "hash": "SHA-256(previous link hash || canonical JSON)",
        "merkle": "RFC 6962: leaf SHA-256(0x00||entry hash), node SHA-256(0x01||left||right)",
    }


def _check_reader(user) -> None:
    scope = scope_for(user)
    if not (scope.is_admin or scope.supervised_unit_ids):
        raise NotFound


def digest_list_for_user(*, user, limit: int = 60) -> list[DailyDigest]:
    """The latest sealed days: supervisors and administrators (NotFound for others)."""
    _check_reader(user)
    return list(DailyDigest.objects.order_by("-day")[:limit])


def digest_get_for_user(*, user, day: dt.date) -> DailyDigest:
    _check_reader(user)
    digest = DailyDigest.objects.filter(day=day).first()
    if digest is None:
        raise NotFound
    return digest
