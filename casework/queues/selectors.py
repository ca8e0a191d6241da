"""The staff's queues: mine, my team's, unassigned, due soon, overdue, all; filtered,
searched, sorted, one page at a time (never a count of the whole table)."""

import re
import unicodedata
from dataclasses import astuple, dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case, CaseParty
from casework.clocks.models import Deadline, DeadlineStatus
from casework.clocks.selectors import soon_until
from casework.core import kept_sql
from casework.core.access import visible_cases_q
from casework.core.roles import Role
from casework.organisation import principal
from casework.organisation.access import scope_for, unit_descendants
from casework.organisation.models import User
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent

REFERENCE_RE = re.compile(r"^[A-Za-z]{1,10}-\d{4}-\d{1,6}$")
# The reference without its prefix ("2026-000004") or its number alone ("000004", "4").
YEAR_NUMBER_RE = re.compile(r"^(\d{4})-(\d{1,6})$")
NUMBER_RE = re.compile(r"^\d{1,6}$")
FIRST_REFERENCE_YEAR = 2000

MOBILE_RE = re.compile(r"^1\d{10}$")
# How people write a mobile number: "138 0013 8000", "138-0013-8000", "+86 13800138000".
PHONE_SEPARATORS_RE = re.compile(r"[\s\-()]")


def _search(term: str) -> Q:
    """What a search box entry finds: a reference (whole, without its prefix, or its number
    alone), a mobile number however it is spaced, or else part of the worker's name. The
    reference forms become exact references, so the unique index answers them."""
    if REFERENCE_RE.match(term):
        return Q(reference__iexact=term.upper())
    prefix = settings.ANXIN_REFERENCE_PREFIX
    if match := YEAR_NUMBER_RE.match(term):
        return Q(reference=f"{prefix}-{match[1]}-{int(match[2]):06d}")
    if NUMBER_RE.match(term):
        years = range(FIRST_REFERENCE_YEAR, timezone.localdate().year + 1)
        return Q(reference__in=[f"{prefix}-{year}-{int(term):06d}" for year in years])
    digits = PHONE_SEPARATORS_RE.sub("", term).removeprefix("+86")
    if MOBILE_RE.match(digits):
        return Q(worker__mobile=digits)
    return Q(worker_name__icontains=term[:50])


SORTS = {
    "new": ("-created_at", "-pk"),
    "old": ("created_at", "pk"),
    "updated": ("-updated_at", "-pk"),
}


QUEUES = ("mine", "team", "unassigned", "due_soon", "overdue", "all")


@dataclass
class QueueFilters:
    queue: str = "team"
    state: str = ""
    category: str = ""
    platform: int | None = None
    street: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    sort: str = ""
    # Filters the dashboard's figures link with (not in the queue's filter form): a unit and
    # everything below it, cases of collective groups, cases resolved in a date range, and a
    # kind of clock (with "overdue": overdue on that clock).
    unit: int | None = None
    collective: bool = False
    resolved_from: date | None = None
    resolved_to: date | None = None
    clock: str = ""


@dataclass(slots=True)
class QueueRow:
    """What one row of the queue shows of a case: plain values read with `values_list`, no
    model instances (building 25 cases with their team, street, assignee and parties was
    about 150 model instances a page). `state`, `assignee_id` and `team_id` are what the
    bulk actions' tick box carries (SeenCase.token_for)."""

    pk: int
    reference: str
    state: str
    worker_name: str
    category: str
    team_id: int
    assignee_id: int | None
    street: str
    created_at: datetime
    next_due: date | None
    next_due_provisional: bool | None
    next_due_unit: str | None
    assignee_name: str = ""
    party: str = ""


@dataclass
class QueuePage:
    rows: list[QueueRow]
    number: int
    has_next: bool
    filters: QueueFilters = field(default_factory=QueueFilters)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _next_due(field: str = "due_on"):
    """A field of the case's nearest running clock, computed only for the rows shown."""
    return Subquery(
        Deadline.objects.filter(case=OuterRef("pk"), status=DeadlineStatus.RUNNING)
        .order_by("due_on", "pk")
        .values(field)[:1]
    )


_ROW_FIELDS = (
    "pk",
    "reference",
    "state",
    "worker_name",
    "category",
    "team_id",
    "assignee_id",
    "jurisdiction__name",
    "created_at",
    "next_due",
    "next_due_provisional",
    "next_due_unit",
)
# What User.name reads, for the assignee column.
_ASSIGNEE_FIELDS = ("display_name", "first_name", "last_name", "is_worker", "mobile", "username")


def case_queue_for_user(*, user: User, filters: QueueFilters, page: int = 1) -> QueuePage:
    """One page of a coordinator's queue, without counting the whole table: one query for
    the rows (with their street, assignee and nearest clock) and one for their employers."""
    size = settings.ANXIN_QUEUE_PAGE_SIZE
    page = max(1, min(page, 10_000))
    order = SORTS.get(filters.sort or "new", SORTS["new"])
    if filters.queue in ("due_soon", "overdue") and not filters.sort:
        order = ("next_due", "pk")

    def build() -> QuerySet:
        return (
            queue_cases_for_user(user=user, filters=filters)
            .annotate(
                next_due=_next_due(),
                # the due column says in which unit it counts, and marks a provisional date
                next_due_provisional=_next_due("provisional"),
                next_due_unit=_next_due("rule__unit"),
            )
            .order_by(*order)
            .values_list(*_ROW_FIELDS, *(f"assignee__{name}" for name in _ASSIGNEE_FIELDS))[
                (page - 1) * size : page * size + 1
            ]
        )

    # The signed-in user's SQL is kept while their scope stands (principal.py), for this
    # day (the due filters and a number search read today's date).
    stamp = principal.scope_stamp(user)
    key = (*stamp, astuple(filters), page, size, timezone.localdate()) if stamp else None
    found = kept_sql.fetch(key, build)
    has_next = len(found) > size
    names: dict[int, str] = {}
    rows = []
    for values in found[:size]:
        row = QueueRow(*values[: len(_ROW_FIELDS)])
        if row.assignee_id is not None and row.assignee_id not in names:
            assignee = User(
                pk=row.assignee_id,
                **dict(zip(_ASSIGNEE_FIELDS, values[len(_ROW_FIELDS) :], strict=True)),
            )
            names[row.assignee_id] = assignee.name
        row.assignee_name = names.get(row.assignee_id, "")
        rows.append(row)
    if rows:
        _add_parties(rows)
    return QueuePage(rows=rows, number=page, has_next=has_next, filters=filters)


def _add_parties(rows: list[QueueRow]) -> None:
    """Each row's first party (by position), named as CaseParty and Company name themselves."""
    by_pk = {row.pk: row for row in rows}
    first: set[int] = set()
    for case_id, company_id, short_name, company_name, name in (
        CaseParty.objects.filter(case_id__in=list(by_pk))
        .order_by("position")
        .values_list("case_id", "company_id", "company__short_name", "company__name", "name")
    ):
        if case_id in first:
            continue
        first.add(case_id)
        by_pk[case_id].party = (short_name or company_name) if company_id else name


def queue_cases_for_user(*, user: User, filters: QueueFilters) -> QuerySet[Case]:
    """Every case of the queue with these filters (unordered, unpaged): the queue page pages
    it; the ledger's exports (arrears.exports) export it."""
    scope = scope_for(user)
    cases = Case.objects.filter(visible_cases_q(scope))
    if filters.queue == "mine":
        cases = cases.filter(assignee=user)
    elif filters.queue == "team":
        cases = cases.filter(
            Q(team_id__in=scope.team_roles)
            | Q(jurisdiction_id__in=scope.covered_roles)
            | Q(jurisdiction_id__in=scope.supervised_unit_ids)
        )
    elif filters.queue == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    elif filters.queue in ("due_soon", "overdue"):
        today = timezone.localdate()
        due = (
            Q(due_on__lt=today)
            if filters.queue == "overdue"
            else Q(due_on__gte=today, due_on__lte=soon_until(today))
        )
        if filters.clock:
            due &= Q(rule__key=filters.clock)
        cases = cases.filter(
            Exists(Deadline.objects.filter(due, case=OuterRef("pk"), status=DeadlineStatus.RUNNING))
        )
    if filters.clock and filters.queue not in ("due_soon", "overdue"):
        cases = cases.filter(
            Exists(Deadline.objects.filter(case=OuterRef("pk"), rule__key=filters.clock))
        )
    if filters.state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    elif filters.state:
        cases = cases.filter(state=filters.state)
    elif filters.queue != "all":
        cases = cases.filter(state__in=OPEN_STATES)
    if filters.category:
        cases = cases.filter(category=filters.category)
    if filters.platform:
        cases = cases.filter(
            Exists(CaseParty.objects.filter(case=OuterRef("pk"), company_id=filters.platform))
        )
    if filters.street:
        cases = cases.filter(jurisdiction_id=filters.street)
    if filters.unit:
        cases = cases.filter(jurisdiction_id__in=sorted(unit_descendants({filters.unit})))
    if filters.collective:
        cases = cases.filter(group__collective_since__isnull=False)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        cases = cases.filter(created_at__gte=datetime.combine(filters.date_from, time.min, tz))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tz)
        cases = cases.filter(created_at__lt=end)
    if filters.resolved_from or filters.resolved_to:
        steps = CaseEvent.objects.filter(
            case=OuterRef("pk"), kind=EventKind.TRANSITION, transition="resolve"
        )
        if filters.resolved_from:
            steps = steps.filter(
                created_at__gte=datetime.combine(filters.resolved_from, time.min, tz)
            )
        if filters.resolved_to:
            end = datetime.combine(filters.resolved_to + timedelta(days=1), time.min, tz)
            steps = steps.filter(created_at__lt=end)
        cases = cases.filter(Exists(steps))
    # NFKC: a number or reference typed with fullwidth characters (１３９…) is the same one.
    if term := unicodedata.normalize("NFKC", filters.q).strip():
        cases = cases.filter(_search(term))
    return cases


def queue_can_assign(*, user: User) -> bool:
    """Whether the queue offers the user its bulk actions (claiming and assigning cases is
    for coordinators and supervisors; the services check each case again)."""
    scope = scope_for(user)
    return bool(scope.supervised_unit_ids) or any(
        Role.COORDINATOR in roles for roles in scope.team_roles.values()
    )


def assignable_staff_for_user(*, user: User) -> list[principal.StaffOption]:
    """People the queue's bulk "assign to" offers: case workers of the user's teams and of
    the teams in the units they supervise. One query, kept while nobody's membership or name
    changes (casework/organisation/principal.py); the service checks each case again."""
    scope = scope_for(user)
    teams = Q(memberships__team_id__in=list(scope.team_roles))
    if scope.supervised_unit_ids:
        teams |= Q(memberships__team__unit_id__in=list(scope.supervised_unit_ids))
    key = ("queue", frozenset(scope.team_roles), scope.supervised_unit_ids)
    return principal.kept_staff(
        user,
        key,
        lambda: (
            User.objects.filter(
                teams,
                memberships__role__in=[Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR],
                is_active=True,
            )
            .distinct()
            .order_by("display_name", "username")
        ),
    )
