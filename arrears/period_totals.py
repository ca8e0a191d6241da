"""The ledger's money over a period, for the supervisors' dashboard: what was claimed,
verified and agreed on the cases filed in the period, what was recovered in it, and the
recovery rate of those cases.

Recovered money is money the worker confirmed (or whose proof staff checked), dated by the
day it was paid: the same rule as the dashboard's "amount recovered" card and its daily
rollup (arrears.DayFigures). Two aggregate queries, whatever the number of cases.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from arrears.choices import CONFIRMED_STATUSES
from arrears.models import Payment
from casework.cases.models import Case

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


@dataclass
class MoneyTotals:
    claimed: Decimal = ZERO
    verified: Decimal = ZERO
    agreed: Decimal = ZERO
    owed: Decimal = ZERO  # agreed, else verified, else claimed, per case filed in the period
    recovered: Decimal = ZERO  # confirmed payments dated in the period, on any case in scope
    recovered_on_filed: Decimal = ZERO  # confirmed payments on the cases filed in the period

    @property
    def recovery_rate(self) -> Decimal | None:
        """Percent (one decimal) of what is owed on the period's cases that was recovered."""
        if not self.owed:
            return None
        return (self.recovered_on_filed * 100 / self.owed).quantize(Decimal("0.1"))


def case_money_totals(
    *,
    case_q: Q,
    filed: QuerySet[Case],
    start: date,
    end: date,
    filed_since,
    filed_until,
) -> MoneyTotals:
    """`case_q`: a filter on Payment for the cases in the reader's scope and filters (through
    `case__`); `filed`: those filed in the period (from `filed_since` to before
    `filed_until`, aware moments). The caller has checked
    the reader's scope."""
    sums = filed.aggregate(
        claimed=Coalesce(Sum("amount_claimed"), ZERO, output_field=MONEY),
        verified=Coalesce(Sum("amount_verified"), ZERO, output_field=MONEY),
        agreed=Coalesce(Sum("amount_agreed"), ZERO, output_field=MONEY),
        owed=Coalesce(
            Sum(Coalesce("amount_agreed", "amount_verified", "amount_claimed")),
            ZERO,
            output_field=MONEY,
        ),
    )
    confirmed = Payment.objects.filter(status__in=CONFIRMED_STATUSES, paid_on__lte=end)
    # The cases by one join on the payment's case, not IN (subquery): inside a FILTER clause
    # PostgreSQL ran such a subquery once per payment row (0.4 s at 100,000 cases).
    on_filed = Q(case__created_at__gte=filed_since, case__created_at__lt=filed_until)
    paid = confirmed.filter(case_q).aggregate(
        recovered=Coalesce(Sum("amount", filter=Q(paid_on__gte=start)), ZERO, output_field=MONEY),
        on_filed=Coalesce(Sum("amount", filter=on_filed), ZERO, output_field=MONEY),
    )
    return MoneyTotals(**sums, recovered=paid["recovered"], recovered_on_filed=paid["on_filed"])
