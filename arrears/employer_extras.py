"""Per company, beside the rollup's sums: the money the workers confirmed (recovered), the
claims nobody has verified yet (counted apart), missed instalments still unpaid and payment
orders open. A fixed number of grouped queries for a page of companies, whatever its size."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from arrears.choices import CONFIRMED_STATUSES
from arrears.enforcement import MissedInstalment, PaymentOrder
from arrears.models import Payment
from arrears.money import ZERO
from casework.cases.models import Case, CaseParty
from casework.core.access import CaseKeys

MONEY = DecimalField(max_digits=16, decimal_places=2)


@dataclass
class Extras:
    confirmed: Decimal = ZERO
    unverified_cases: int = 0
    unverified_claimed: Decimal = ZERO
    missed_instalments: int = 0
    open_orders: int = 0


def _per_case(queryset, value) -> Subquery:
    return Subquery(
        queryset.filter(case_id=OuterRef("case_id"))
        .order_by()
        .values("case_id")
        .annotate(value=value)
        .values("value")
    )


def employer_extras(keys: CaseKeys, company_ids: list[int]) -> dict[int, Extras]:
    """One grouped query over the parties naming these companies, within the scope."""
    extras = {company_id: Extras() for company_id in company_ids}
    if not company_ids:
        return extras
    unverified = Q(case__amount_verified__isnull=True, case__amount_agreed__isnull=True)
    confirmed = _per_case(Payment.objects.filter(status__in=CONFIRMED_STATUSES), Sum("amount"))
    # Missed instalments towards which nothing has been paid since.
    missed = _per_case(
        MissedInstalment.objects.filter(instalment__payments__isnull=True), Count("pk")
    )
    orders = _per_case(PaymentOrder.objects.filter(status="open"), Count("pk"))
    rows = (
        CaseParty.objects.filter(
            company_id__in=company_ids, case__in=Case.objects.filter(keys.q()).values("pk")
        )
        .values("company_id")
        .annotate(
            confirmed=Sum(Coalesce(confirmed, Value(ZERO), output_field=MONEY)),
            unverified_cases=Count("case_id", filter=unverified, distinct=True),
            unverified_claimed=Sum("case__amount_claimed", filter=unverified),
            missed=Sum(Coalesce(missed, 0)),
            orders=Sum(Coalesce(orders, 0)),
        )
        .order_by()
    )
    for row in rows:
        extras[row["company_id"]] = Extras(
            confirmed=row["confirmed"] or ZERO,
            unverified_cases=row["unverified_cases"],
            unverified_claimed=row["unverified_claimed"] or ZERO,
            missed_instalments=row["missed"] or 0,
            open_orders=row["orders"] or 0,
        )
    return extras
