"""The statistics page's additive figures read from the daily rollups (models.py), which
PostgreSQL's triggers keep: a year is a few thousand rows per query instead of every case,
step, payment and clock in it. The same figures as the row counts in measures.py; a
hypothesis test holds the two against a brute-force recount.

Only where the rollups apply: on PostgreSQL (SQLite has no triggers keeping them), and
without a platform filter (the rollups are not kept per company a case names).
"""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Q, Sum

from arrears.choices import CONFIRMED_STATUSES
from arrears.models import Payment
from arrears.period_totals import ZERO, MoneyTotals
from casework.cases.lifecycle import OPEN_STATES
from casework.supervision.models import ClockDay, MeasureDay, OpenCompanyCount, StateCount
from platforms.figures.counting import RESPONSE_RULE

MONEY_FIELDS = ("claimed", "verified", "agreed", "owed", "recovered_by_filed")


def rollups_apply(company_id: int | None) -> bool:
    return connection.vendor == "postgresql" and not company_id


def _scope(territory: set[int], category: str) -> Q:
    """The rollup rows of the territory for one category, or those of all categories
    (category "", kept beside them: one row per day and street instead of fourteen)."""
    return Q(jurisdiction_id__in=sorted(territory), category=category)


def open_counts(territory: set[int], category: str) -> list[tuple[str, str, int, int]]:
    """(status, category, street, cases) for the open cases now."""
    return list(
        StateCount.objects.filter(
            Q(category=category) if category else Q(),
            jurisdiction_id__in=sorted(territory),
            state__in=OPEN_STATES,
        )
        .exclude(cases=0)
        .values_list("state", "category", "jurisdiction_id", "cases")
    )


def open_by_company(
    territory: set[int], category: str, kinds, top: int
) -> list[tuple[int, str, int]]:
    """The `top` companies of the given kinds by open cases naming them: (id, name, cases)."""
    return list(
        OpenCompanyCount.objects.filter(
            _scope(territory, category), company__kind__in=kinds, cases__gt=0
        )
        .values_list("company_id", "company__name")
        .annotate(n=Sum("cases"))
        .order_by("-n", "company__name")[:top]
    )


def day_figures(
    territory: set[int], category: str, start: date, end: date, since, until
) -> tuple[list[tuple[date, int]], list[tuple[date, int]], MoneyTotals]:
    """New and resolved per day over the range, and the money: one query over the rollup,
    one for the payments dated after the range on the cases filed in it (which the
    recovery rate must leave out; after today there are few or none). `since` and `until`:
    the range's first moment and the moment after it."""
    new, resolved = [], []
    sums = dict.fromkeys(MONEY_FIELDS, ZERO)
    recovered = ZERO
    rows = (
        MeasureDay.objects.filter(_scope(territory, category), day__gte=start, day__lte=end)
        .values("day")
        .annotate(
            n_filed=Sum("filed"),
            n_resolved=Sum("resolved"),
            paid=Sum("recovered"),
            **{f"sum_{name}": Sum(name) for name in MONEY_FIELDS},
        )
        .order_by()
    )
    for row in rows:
        if row["n_filed"]:
            new.append((row["day"], row["n_filed"]))
        if row["n_resolved"]:
            resolved.append((row["day"], row["n_resolved"]))
        recovered += row["paid"]
        for name in MONEY_FIELDS:
            sums[name] += row[f"sum_{name}"]
    later = Payment.objects.filter(
        Q(case__category=category) if category else Q(),
        case__jurisdiction_id__in=sorted(territory),
        status__in=CONFIRMED_STATUSES,
        paid_on__gt=end,
        case__created_at__gte=since,
        case__created_at__lt=until,
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    money = MoneyTotals(
        claimed=sums["claimed"],
        verified=sums["verified"],
        agreed=sums["agreed"],
        owed=sums["owed"],
        recovered=recovered,
        recovered_on_filed=sums["recovered_by_filed"] - later,
    )
    return new, resolved, money


def clock_figures(
    territory: set[int], category: str, start: date, end: date, today: date
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Per rule key: clocks closed in the range on time (met) and late, and running past
    their due day now (overdue); and the platform response requests started in the range."""
    in_range = Q(day__gte=start, day__lte=end)
    overdue = Q(day__lt=today) & ~Q(running_due=0)
    rows = (
        ClockDay.objects.filter(_scope(territory, category))
        .filter(in_range | overdue)
        .values("rule__key")
        .annotate(
            met_n=Sum("met", filter=in_range, default=0),
            late_n=Sum("late", filter=in_range, default=0),
            overdue_n=Sum("running_due", filter=overdue, default=0),
            started_n=Sum("started", filter=in_range, default=0),
            answered_n=Sum("answered", filter=in_range, default=0),
            on_time_n=Sum("answered_on_time", filter=in_range, default=0),
        )
        .order_by()
    )
    clocks: dict[str, dict[str, int]] = {}
    responses = {"requested": 0, "answered": 0, "on_time": 0}
    for row in rows:
        key = row["rule__key"]
        clocks[key] = {"met": row["met_n"], "late": row["late_n"], "overdue": row["overdue_n"]}
        if key == RESPONSE_RULE:
            responses = {
                "requested": row["started_n"],
                "answered": row["answered_n"],
                "on_time": row["on_time_n"],
            }
    return clocks, responses
