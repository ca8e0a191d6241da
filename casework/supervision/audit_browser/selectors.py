"""What the audit browser reads: a page of history entries (newest first, keyset cursor over
(recorded_at, seq)) from the chain's index, scoped to the reader's units.

Supervisors see the rows of their unit and everything below it (a case's rows belong to its
street or park, a team's and its memberships' to its unit); rows that belong to no unit
(companies, API tokens, clause templates) only to administrators and to supervisors who oversee
every unit. Anyone else gets NotFound (the page answers 404)."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from casework.audit.models import ChainEntry
from casework.cases.models import Case
from casework.core.errors import NotFound
from casework.organisation.access import case_keys_for, scope_for
from casework.organisation.models import User
from casework.supervision.audit_browser.filters import AuditQuery
from platforms.models import Company

PAGE_SIZE = 50
# A person or company typed as part of a name matches at most this many: a filter, not a search.
MATCHES = 50
EXPORT_LIMIT = 100_000


def audit_scope_q(user: User, *, prefix: str = "") -> Q:
    """The rows the user may read (by `<prefix>unit_id`); NotFound unless they supervise."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    if not scope.supervised_unit_ids:
        raise NotFound
    if case_keys_for(scope).everything:
        return Q()
    return Q(**{f"{prefix}unit_id__in": sorted(scope.supervised_unit_ids)})


def can_browse_audit(user: User) -> bool:
    try:
        audit_scope_q(user)
    except NotFound:
        return False
    return True


def _people(text: str) -> list[int]:
    found = User.objects.filter(
        Q(display_name__icontains=text)
        | Q(username__iexact=text)
        | Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
        | Q(mobile=text)
    )
    return list(found.order_by("pk").values_list("pk", flat=True)[:MATCHES])


def _companies(text: str) -> list[int]:
    found = Company.objects.filter(
        Q(name__icontains=text) | Q(short_name__icontains=text) | Q(credit_code__iexact=text)
    )
    return list(found.order_by("pk").values_list("pk", flat=True)[:MATCHES])


def _filtered(user: User, query: AuditQuery) -> QuerySet[ChainEntry]:
    entries = ChainEntry.objects.exclude(action="").filter(audit_scope_q(user))
    if query.person:
        entries = entries.filter(actor_id__in=_people(query.person))
    if query.company:
        entries = entries.filter(company_id__in=_companies(query.company))
    if query.case:
        case_ids = Case.objects.filter(reference__iexact=query.case).values_list("pk", flat=True)
        entries = entries.filter(case_id__in=list(case_ids[:1]))
    if query.model:
        entries = entries.filter(table=query.model)
    if query.action:
        entries = entries.filter(action=query.action)
    if query.since() is not None:
        entries = entries.filter(recorded_at__gte=query.since())
    if query.until() is not None:
        entries = entries.filter(recorded_at__lt=query.until())
    return entries.order_by("-recorded_at", "-seq")


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after the entry (recorded_at, seq)."""

    recorded_at: dt.datetime
    seq: int

    def encode(self) -> str:
        micros = int(self.recorded_at.timestamp() * 1_000_000)
        return f"{micros}.{self.seq}"

    @classmethod
    def decode(cls, text: str | None) -> "Cursor | None":
        """None for a missing or mangled cursor: the first page."""
        try:
            micros, seq = (text or "").split(".")
            moment = dt.datetime.fromtimestamp(int(micros) / 1_000_000, tz=dt.UTC)
            return cls(moment, int(seq)) if int(seq) > 0 else None
        except (ValueError, OverflowError, OSError):
            return None


@dataclass
class AuditPage:
    entries: list[ChainEntry]
    next_cursor: str | None


COLUMNS = ("seq", "table", "row_id", "recorded_at", "action", "actor_id", "case_id", "unit_id")


def audit_page_for_user(*, user: User, query: AuditQuery, after: str | None = None) -> AuditPage:
    """One page of index entries, newest first. One query for the page (and one per person or
    company typed), whatever the number of history rows."""
    entries = _filtered(user, query)
    cursor = Cursor.decode(after)
    if cursor is not None:
        # The first condition bounds the index range; the second breaks ties on the moment.
        entries = entries.filter(
            Q(recorded_at__lte=cursor.recorded_at)
            & (Q(recorded_at__lt=cursor.recorded_at) | Q(seq__lt=cursor.seq))
        )
    found = list(entries.only(*COLUMNS)[: PAGE_SIZE + 1])
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    last = found[-1] if found and more else None
    return AuditPage(
        entries=found,
        next_cursor=Cursor(last.recorded_at, last.seq).encode() if last else None,
    )


def audit_entries_for_export(*, user: User, query: AuditQuery) -> Iterator[list[ChainEntry]]:
    """Every entry of the filter, newest first, in pages (the export streams them)."""
    entries = _filtered(user, query).only(*COLUMNS)
    cursor = None
    sent = 0
    while sent < EXPORT_LIMIT:
        page = entries
        if cursor is not None:
            page = page.filter(
                Q(recorded_at__lte=cursor.recorded_at)
                & (Q(recorded_at__lt=cursor.recorded_at) | Q(seq__lt=cursor.seq))
            )
        batch = list(page[:500])
        if not batch:
            return
        sent += len(batch)
        yield batch
        cursor = Cursor(batch[-1].recorded_at, batch[-1].seq)
