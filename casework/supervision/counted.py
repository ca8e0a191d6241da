"""The statistics page's additive figures counted from the rows themselves: on SQLite, and
with a platform filter (the rollups in rollups.py are not kept per company). Same shapes as
rollups.py; a hypothesis test holds both against a brute-force recount."""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from arrears.period_totals import MoneyTotals, case_money_totals
from casework.cases.lifecycle import OPEN_STATES
from casework.clocks.models import Deadline, DeadlineStatus
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent
from platforms.figures.counting import RESPONSE_RULE


def day_figures(
    cases: QuerySet, filed: QuerySet, case_q: Q, start: date, end: date, since, until
) -> tuple[list[tuple[date, int]], list[tuple[date, int]], MoneyTotals]:
    """New and resolved per day (Beijing time) and the money. `cases`: those in scope;
    `filed`: those filed in the range; `case_q`: the scope as a filter on payments."""
    tz = timezone.get_current_timezone()
    steps = CaseEvent.objects.filter(
        kind=EventKind.TRANSITION,
        transition="resolve",
        created_at__gte=since,
        created_at__lt=until,
        case__in=cases,
    )
    money = case_money_totals(
        case_q=case_q, filed=filed, start=start, end=end, filed_since=since, filed_until=until
    )
    return _per_day(filed, tz), _per_day(steps, tz), money


def _per_day(rows: QuerySet, tz) -> list[tuple[date, int]]:
    return list(
        rows.annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("*"))
        .values_list("day", "n")
        .order_by()
    )


def clock_figures(
    cases: QuerySet, start: date, end: date, since, until, today: date
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Per rule key: clocks closed in the range on time (met) and late, and running past
    their due day now on open cases (overdue); and the platform response requests started
    in the range (requested, answered, answered on time)."""
    closed = Q(closed_at__gte=since, closed_at__lt=until)
    clocks = {
        row["rule__key"]: {"met": row["met"], "late": row["late"], "overdue": row["overdue"]}
        for row in Deadline.objects.filter(
            closed & Q(status__in=(DeadlineStatus.MET, DeadlineStatus.BREACHED))
            | Q(status=DeadlineStatus.RUNNING, due_on__lt=today, case__state__in=OPEN_STATES),
            case__in=cases,
        )
        .values("rule__key")
        .annotate(
            met=Count("pk", filter=closed & Q(status=DeadlineStatus.MET)),
            late=Count("pk", filter=closed & Q(status=DeadlineStatus.BREACHED)),
            overdue=Count("pk", filter=Q(status=DeadlineStatus.RUNNING, due_on__lt=today)),
        )
        .order_by()
    }
    responses = Deadline.objects.filter(
        case__in=cases, rule__key=RESPONSE_RULE, started_on__gte=start, started_on__lte=end
    ).aggregate(
        requested=Count("pk", filter=~Q(status=DeadlineStatus.CANCELLED)),
        answered=Count("pk", filter=Q(status__in=(DeadlineStatus.MET, DeadlineStatus.BREACHED))),
        on_time=Count("pk", filter=Q(status=DeadlineStatus.MET)),
    )
    return clocks, responses
