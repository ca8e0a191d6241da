"""The supervisor dashboard: the figures a bureau reports, for the streets and parks a
supervisor oversees.

Every figure is one grouped query over an index (migration casework 0011) or, for closed
cases, escalations and money recovered, over the days PostgreSQL adds up as they happen
(arrears.DayFigures): a dozen queries for the page, none per street or per case.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum, Window
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import CaseState

# CONCLUDING: the transitions that take a case out of the open states. "Cases closed" counts
# them (a case reopened and closed again counts again, as each closing is work done).
from casework.cases.lifecycle import CONCLUDING, OPEN_STATES
from casework.cases.models import Case
from casework.clocks.models import Deadline, DeadlineStatus
from casework.clocks.selectors import SOON_WORKING_DAYS
from casework.clocks.work_calendar import load_calendar
from casework.core.access import AccessScope, CaseKeys
from casework.core.errors import CaseNotFound
from casework.groups.models import CaseGroup
from casework.organisation.access import scope_for
from casework.organisation.models import Unit, User
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent

PERIODS = {"month": _("This month"), "year": _("This year"), "all": _("All time")}
GROUPS_SHOWN = 10


@dataclass(frozen=True)
class Period:
    key: str
    start: date | None  # None: since the first case
    today: date

    @property
    def label(self) -> str:
        return PERIODS[self.key]

    @property
    def since(self) -> datetime | None:
        """The start as a moment in Beijing time."""
        if self.start is None:
            return None
        return datetime.combine(self.start, time.min, timezone.get_current_timezone())


def period_for(key: str, *, today: date) -> Period:
    if key == "year":
        return Period("year", today.replace(month=1, day=1), today)
    if key == "all":
        return Period("all", None, today)
    return Period("month", today.replace(day=1), today)


@dataclass
class PlaceFigures:
    """One street or park: the period's figures and the open work."""

    unit_id: int
    name: str
    received: int = 0
    closed: int = 0
    workers: int = 0
    recovered: Decimal = Decimal("0.00")
    escalations: int = 0
    open: int = 0
    overdue: int = 0
    due_soon: int = 0


@dataclass
class Dashboard:
    period: Period
    received: int
    closed: int
    workers: int
    recovered: Decimal
    escalations: int
    open_by_state: list[tuple[CaseState, int]]
    overdue: int
    due_soon: int
    groups: list[CaseGroup]
    groups_total: int
    places: list[PlaceFigures] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(n for _state, n in self.open_by_state)


def _is_supervisor(scope: AccessScope) -> bool:
    return bool(scope.supervised_unit_ids) or scope.is_admin


def _territory(scope: AccessScope, unit_ids: set[int]) -> CaseKeys:
    """The cases a supervisor oversees: those of the streets and parks of their units (属地).
    (A case their unit's teams hold for another street stays on that street's dashboard.)"""
    if scope.is_admin or unit_ids <= scope.supervised_unit_ids:
        return CaseKeys(everything=True)
    return CaseKeys(everything=False, jurisdiction_ids=scope.supervised_unit_ids)


def dashboard_for_user(*, user: User, period: str = "month", today: date | None = None):
    """The dashboard over the streets and parks the user oversees; CaseNotFound for anyone
    but a supervisor (or an administrator)."""
    scope = scope_for(user)
    if not _is_supervisor(scope):
        raise CaseNotFound
    today = today or timezone.localdate()
    chosen = period_for(period, today=today)
    units = {pk: (name, kind) for pk, name, kind in Unit.objects.values_list("pk", "name", "kind")}
    keys = _territory(scope, set(units))
    places: dict[int, PlaceFigures] = {
        pk: PlaceFigures(pk, name)
        for pk, (name, kind) in sorted(units.items(), key=lambda item: item[1][0])
        if kind in ("street", "park") and (keys.everything or pk in keys.jurisdiction_ids)
    }

    def place(unit_id: int) -> PlaceFigures:
        if unit_id not in places:  # a case filed under a unit that is not a street or park
            places[unit_id] = PlaceFigures(unit_id, units.get(unit_id, ("?", ""))[0])
        return places[unit_id]

    cases = Case.objects.filter(keys.q())
    since = chosen.since
    in_period = cases.filter(created_at__gte=since) if since else cases

    open_by_state: dict[str, int] = {}
    for row in (
        cases.filter(state__in=OPEN_STATES)
        .values("jurisdiction_id", "state")
        .annotate(n=Count("*"))
        .order_by()
    ):
        place(row["jurisdiction_id"]).open += row["n"]
        open_by_state[row["state"]] = open_by_state.get(row["state"], 0) + row["n"]

    for row in (
        in_period.values("jurisdiction_id")
        .annotate(n=Count("*"), workers=Count("worker_id", distinct=True))
        .order_by()
    ):
        figures = place(row["jurisdiction_id"])
        figures.received, figures.workers = row["n"], row["workers"]
    busy = [p for p in places.values() if p.received]
    if len(busy) <= 1:
        workers = busy[0].workers if busy else 0
    else:  # a worker with complaints in two streets is one worker
        # (COUNT over SELECT DISTINCT: PostgreSQL walks the worker index instead of sorting.)
        workers = in_period.values("worker_id").distinct().order_by().count()

    for jurisdiction_id, closed, escalations, recovered in _day_figures(keys, chosen):
        figures = place(jurisdiction_id)
        figures.closed, figures.escalations = closed, escalations
        figures.recovered = recovered or Decimal("0.00")

    soon_until = load_calendar().add_working_days(today, SOON_WORKING_DAYS).day
    for row in (
        Deadline.objects.filter(
            keys.q("case__"),
            status=DeadlineStatus.RUNNING,
            due_on__lte=soon_until,
            case__state__in=OPEN_STATES,
        )
        .values("case__jurisdiction_id")
        .annotate(
            overdue=Count("case_id", distinct=True, filter=Q(due_on__lt=today)),
            due_soon=Count("case_id", distinct=True, filter=Q(due_on__gte=today)),
        )
        .order_by()
    ):
        figures = place(row["case__jurisdiction_id"])
        figures.overdue, figures.due_soon = row["overdue"], row["due_soon"]

    groups = _open_collective_groups(keys)
    rows = list(places.values())
    return Dashboard(
        period=chosen,
        received=sum(p.received for p in rows),
        closed=sum(p.closed for p in rows),
        workers=workers,
        recovered=sum((p.recovered for p in rows), Decimal("0.00")),
        escalations=sum(p.escalations for p in rows),
        open_by_state=[(state, open_by_state.get(state, 0)) for state in OPEN_STATES],
        overdue=sum(p.overdue for p in rows),
        due_soon=sum(p.due_soon for p in rows),
        groups=groups[:GROUPS_SHOWN],
        groups_total=groups[0].total if groups else 0,
        places=rows,
    )


def _day_figures(keys: CaseKeys, period: Period) -> list[tuple[int, int, int, Decimal | None]]:
    """(street, closed, escalations, recovered) for the period: on PostgreSQL from the days
    its triggers add up (arrears.DayFigures), elsewhere from the events and payments."""
    from arrears.choices import CONFIRMED_STATUSES
    from arrears.models import DayFigures, Payment

    if connection.vendor == "postgresql":
        days = DayFigures.objects.filter(keys.q(), day__lte=period.today)
        if period.start:
            days = days.filter(day__gte=period.start)
        return list(
            days.values("jurisdiction_id")
            .annotate(Sum("closed"), Sum("escalations"), Sum("recovered"))
            .values_list("jurisdiction_id", "closed__sum", "escalations__sum", "recovered__sum")
            .order_by()
        )
    events = CaseEvent.objects.filter(
        Q(kind=EventKind.TRANSITION, transition__in=CONCLUDING) | Q(kind=EventKind.ESCALATED),
        keys.q("case__"),
    )
    # Recovered money is money the worker confirmed (or whose proof staff checked).
    payments = Payment.objects.filter(
        keys.q("case__"), paid_on__lte=period.today, status__in=CONFIRMED_STATUSES
    )
    if period.start:
        events = events.filter(created_at__gte=period.since)
        payments = payments.filter(paid_on__gte=period.start)
    counted: dict[int, list] = {}
    for jurisdiction_id, closed, escalations in (
        events.values("case__jurisdiction_id")
        .annotate(
            closed=Count("pk", filter=Q(kind=EventKind.TRANSITION)),
            escalations=Count("pk", filter=Q(kind=EventKind.ESCALATED)),
        )
        .values_list("case__jurisdiction_id", "closed", "escalations")
        .order_by()
    ):
        counted[jurisdiction_id] = [jurisdiction_id, closed, escalations, None]
    for jurisdiction_id, total in (
        payments.values("case__jurisdiction_id")
        .annotate(total=Sum("amount"))
        .values_list("case__jurisdiction_id", "total")
        .order_by()
    ):
        counted.setdefault(jurisdiction_id, [jurisdiction_id, 0, 0, None])[3] = total
    return [tuple(row) for row in counted.values()]


def _open_collective_groups(keys: CaseKeys) -> list[CaseGroup]:
    """Collective groups with open cases the user sees, newest first, with how many there are
    in all (a window over the grouped rows: one query)."""
    seen_open = Q(cases__state__in=OPEN_STATES) & keys.q("cases__")
    return list(
        CaseGroup.objects.filter(collective_since__isnull=False)
        .annotate(
            open_cases=Count("cases", filter=seen_open),
            workers=Count("cases__worker_id", distinct=True, filter=keys.q("cases__")),
            total=Window(Count("pk")),
        )
        .filter(open_cases__gt=0)
        .select_related("employer")
        .order_by("-collective_since", "-pk")[: GROUPS_SHOWN + 1]
    )
