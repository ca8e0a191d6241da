"""Every company's risk signals at once: one grouped query per signal family over the whole
district, whatever the number of companies (never one query per company).

A complaint counts against its employer (`Case.employer`, the company that pays the worker):
counting it for every company of its chain would put each platform at the top of every list.
Payment orders, missed instalments and collective groups follow their cases' employer; late
answers and screening findings belong to the company that gave or received them."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from arrears.enforcement import MissedInstalment, PaymentOrder
from arrears.models import Payment
from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case
from casework.governance.models import Screening, ScreeningFinding
from casework.groups.models import CaseGroup
from platforms.models import EmployerResponse
from platforms.risk.choices import Signal

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
# Growth counts only from this many complaints in the month: 1 → 2 is not a trend.
GROWTH_FROM = 3


def company_signals(*, today: date, start_of_today) -> tuple[dict, dict]:
    """({company id: {signal: value}}, {company id: street id}). `start_of_today`: the aware
    moment today began (Beijing time), from which the 30-day windows are counted."""
    values: dict[int, dict[str, Decimal | int]] = defaultdict(dict)

    def put(signal: str, pairs) -> None:
        for company_id, value in pairs:
            if company_id is not None and value:
                values[company_id][signal] = value

    put(Signal.OPEN_ARREARS, _open_arrears())
    month_ago = start_of_today - timedelta(days=30)
    two_months_ago = start_of_today - timedelta(days=60)
    year_ago = start_of_today - timedelta(days=365)
    # One pass over the year's complaints, by employer and street: this month's and the
    # month before's counts, and where most of them came from.
    per_street = (
        Case.objects.filter(created_at__gte=year_ago, employer__isnull=False)
        .values("employer_id", "jurisdiction_id")
        .annotate(
            year=Count("pk"),
            now=Count("pk", filter=Q(created_at__gte=month_ago)),
            before=Count("pk", filter=Q(created_at__gte=two_months_ago, created_at__lt=month_ago)),
        )
        .values_list("employer_id", "jurisdiction_id", "year", "now", "before")
        .order_by()
    )
    months: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    best: dict[int, tuple[int, int]] = {}
    for company_id, street_id, year, now, before in per_street:
        months[company_id][0] += now
        months[company_id][1] += before
        if company_id not in best or (year, -street_id) > (
            best[company_id][1],
            -best[company_id][0],
        ):
            best[company_id] = (street_id, year)
    for company_id, (now, before) in months.items():
        if now:
            values[company_id][Signal.COMPLAINTS_MONTH] = now
        if now >= GROWTH_FROM and now > before:
            growth = round(100 * (now - before) / max(before, 1))
            values[company_id][Signal.COMPLAINT_GROWTH] = growth
    put(
        Signal.OVERDUE_INSTALMENTS,
        MissedInstalment.objects.filter(instalment__payments__isnull=True)
        .values("case__employer_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("case__employer_id", "n")
        .order_by(),
    )
    put(
        Signal.MISSED_ORDERS,
        PaymentOrder.objects.filter(status="missed")
        .values("case__employer_id")
        .annotate(n=Count("pk"))
        .values_list("case__employer_id", "n")
        .order_by(),
    )
    put(
        Signal.COLLECTIVE_CASES,
        CaseGroup.objects.filter(collective_since__gte=year_ago)
        .values("employer_id")
        .annotate(n=Count("pk"))
        .values_list("employer_id", "n")
        .order_by(),
    )
    repeats = Counter(
        company_id
        for company_id, _worker in Case.objects.filter(
            created_at__gte=year_ago, employer__isnull=False
        )
        .values("employer_id", "worker_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values_list("employer_id", "worker_id")
        .order_by()
    )
    put(Signal.REPEAT_COMPLAINTS, repeats.items())
    put(
        Signal.LATE_RESPONSES,
        EmployerResponse.objects.filter(
            is_late=True, responded_at__gte=start_of_today - timedelta(days=90)
        )
        .values("company_id")
        .annotate(n=Count("pk"))
        .values_list("company_id", "n")
        .order_by(),
    )
    put(
        Signal.OPEN_FINDINGS,
        ScreeningFinding.objects.filter(complies=False, corrected_on__isnull=True)
        .values("screening__company_id")
        .annotate(n=Count("pk"))
        .values_list("screening__company_id", "n")
        .order_by(),
    )
    put(
        Signal.OVERDUE_FINDINGS,
        ScreeningFinding.objects.filter(
            complies=False, corrected_on__isnull=True, screening__correction_due__lt=today
        )
        .values("screening__company_id")
        .annotate(n=Count("pk"))
        .values_list("screening__company_id", "n")
        .order_by(),
    )
    return values, _streets(best)


def _open_arrears():
    """Outstanding on open complaints per employer: agreed (else verified, else claimed) less
    what was paid, not below zero, nothing once the worker waived the rest (as the ledger)."""
    paid = Coalesce(
        Subquery(
            Payment.objects.filter(case=OuterRef("pk"))
            .order_by()
            .values("case")
            .annotate(total=Sum("amount"))
            .values("total")
        ),
        Value(ZERO),
        output_field=MONEY,
    )
    owed = Coalesce("amount_agreed", "amount_verified", "amount_claimed", output_field=MONEY)
    outstanding = SqlCase(
        When(~Q(outstanding_waived=""), then=Value(ZERO)),
        default=Greatest(owed - paid, Value(ZERO), output_field=MONEY),
        output_field=MONEY,
    )
    return (
        Case.objects.filter(state__in=OPEN_STATES, employer__isnull=False)
        .values("employer_id")
        .annotate(total=Sum(outstanding))
        .values_list("employer_id", "total")
        .order_by()
    )


def _streets(best: dict[int, tuple[int, int]]) -> dict[int, int]:
    """The street or park with most of each company's complaints of the year (`best`); for a
    company nobody complained about lately, where it was last screened."""
    streets = {company_id: street for company_id, (street, _n) in best.items()}
    screened = Screening.objects.order_by("screened_on", "pk").values_list("company_id", "unit_id")
    for company_id, unit_id in screened:
        if company_id not in best:
            streets[company_id] = unit_id
    return streets
