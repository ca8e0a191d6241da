"""The staff's queues: mine, my team's, unassigned, due soon, overdue, all; filtered,
searched, sorted, one page at a time (never a count of the whole table)."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case, CaseParty
from casework.cases.selectors import platform_parties_prefetch
from casework.clocks.models import Deadline, DeadlineStatus
from casework.clocks.selectors import soon_until
from casework.core.access import visible_cases_q
from casework.organisation.access import scope_for
from casework.organisation.models import User

REFERENCE_RE = re.compile(r"^[A-Za-z]{1,10}-\d{4}-\d{1,6}$")


MOBILE_RE = re.compile(r"^1\d{10}$")


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


@dataclass
class QueuePage:
    rows: list[Case]
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


def case_queue_for_user(*, user: User, filters: QueueFilters, page: int = 1) -> QueuePage:
    """One page of a coordinator's queue, without counting the whole table."""
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
        cases = cases.filter(
            Exists(Deadline.objects.filter(due, case=OuterRef("pk"), status=DeadlineStatus.RUNNING))
        )
    if filters.state:
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
    tz = timezone.get_current_timezone()
    if filters.date_from:
        cases = cases.filter(created_at__gte=datetime.combine(filters.date_from, time.min, tz))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tz)
        cases = cases.filter(created_at__lt=end)
    # NFKC: a number or reference typed with fullwidth characters (１３９…) is the same one.
    if term := unicodedata.normalize("NFKC", filters.q).strip():
        if REFERENCE_RE.match(term):
            cases = cases.filter(reference__iexact=term.upper())
        elif MOBILE_RE.match(term):
            cases = cases.filter(worker__mobile=term)
        else:
            cases = cases.filter(worker_name__icontains=term[:50])
    size = settings.ANXIN_QUEUE_PAGE_SIZE
    page = max(1, min(page, 10_000))
    order = SORTS.get(filters.sort or "new", SORTS["new"])
    if filters.queue in ("due_soon", "overdue") and not filters.sort:
        order = ("next_due", "pk")
    rows = list(
        cases.select_related("team", "jurisdiction", "assignee")
        .prefetch_related(platform_parties_prefetch(to_attr="party_list"))
        .annotate(
            next_due=_next_due(),
            # the due column says in which unit it counts, and marks a provisional date
            next_due_provisional=_next_due("provisional"),
            next_due_unit=_next_due("rule__unit"),
        )
        .order_by(*order)[(page - 1) * size : page * size + 1]
    )
    return QueuePage(rows=rows[:size], number=page, has_next=len(rows) > size, filters=filters)
