"""Per company, beside the rollup's sums: the money the workers confirmed (recovered), the
claims nobody has verified yet (counted apart), missed instalments still unpaid and payment
orders open.

On PostgreSQL the ledger rollup keeps them with the sums (`extras_from_rollup`); elsewhere
(SQLite, or a staff member's own complaints) `employer_extras` adds them up from the cases in
one grouped query for a page of companies, whatever its size. Both give the same figures: a
missed instalment counts while the payments towards it (less corrections) are below its
amount, as the case's ledger shows it "missed"."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from arrears.choices import UNCONFIRMED_STATUSES
from arrears.models import MissedInstalment, Payment
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


# The rollup's columns for them (arrears.models._Sums).
EXTRA_SUMS = (
    "unconfirmed",
    "unverified_cases",
    "unverified_claimed",
    "missed_instalments",
    "open_orders",
)


def extras_from_rollup(row) -> Extras:
    """From a rollup row (EmployerTotal) or the sums of a company's rows in a scope (a dict):
    confirmed money is what was paid less the payments not confirmed yet."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return Extras(
        confirmed=(get("paid") or ZERO) - (get("unconfirmed") or ZERO),
        unverified_cases=get("unverified_cases") or 0,
        unverified_claimed=get("unverified_claimed") or ZERO,
        missed_instalments=get("missed_instalments") or 0,
        open_orders=get("open_orders") or 0,
    )


# What each part of the grouped query adds up (its `kind` column).
UNCONFIRMED, UNVERIFIED, MISSED, ORDERS = 1, 2, 3, 4


def employer_extras(keys: CaseKeys, paid: dict[int, Decimal]) -> dict[int, Extras]:
    """One query over the parties naming these companies, within the scope: four grouped
    joins (payments not confirmed, unverified claims, missed instalments still unpaid, open
    payment orders) put together with UNION ALL. Joins grouped once, not a subquery per
    case: the district's page reads every case of its largest employers.

    `paid`: each company's payments within the scope, as the page's figures have them (the
    rollup's). Confirmed money is that less the payments not confirmed: those are few (a
    worker confirms within days), and a partial index finds them, where summing the
    confirmed ones would read every payment of the district."""
    company_ids = list(paid)
    extras = {company_id: Extras(confirmed=paid[company_id]) for company_id in company_ids}
    if not company_ids:
        return extras
    parties = CaseParty.objects.filter(company_id__in=company_ids).order_by()
    if not keys.everything:
        parties = parties.filter(case__in=Case.objects.filter(keys.q()).values("pk"))

    def part(kind: int, rows, count, amount):
        return (
            rows.values("company_id")
            .annotate(
                kind=Value(kind), n=count, amount=Coalesce(amount, Value(ZERO), output_field=MONEY)
            )
            .values_list("company_id", "kind", "n", "amount")
            .order_by()
        )

    unconfirmed = part(
        UNCONFIRMED,
        parties.filter(case__payments__status__in=UNCONFIRMED_STATUSES),
        Count("case__payments"),
        Sum("case__payments__amount"),
    )
    unverified = part(
        UNVERIFIED,
        parties.filter(case__amount_verified__isnull=True, case__amount_agreed__isnull=True),
        Count("case_id", distinct=True),
        Sum("case__amount_claimed"),
    )
    # Missed instalments not paid in full since (the payments towards each, by the payments'
    # instalment index, from the missed rows: a join through every instalment would read
    # them all).
    towards = Subquery(
        Payment.objects.filter(instalment_id=OuterRef("instalment_id"))
        .order_by()
        .values("instalment_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    short = (
        MissedInstalment.objects.alias(towards=Coalesce(towards, Value(ZERO), output_field=MONEY))
        .filter(instalment__amount__gt=F("towards"))
        .values("pk")
    )
    missed = part(
        MISSED,
        parties.filter(case__missed_instalments__in=short),
        Count("case__missed_instalments", distinct=True),
        Value(ZERO, output_field=MONEY),
    )
    orders = part(
        ORDERS,
        parties.filter(case__payment_orders__status="open"),
        Count("case__payment_orders", distinct=True),
        Value(ZERO, output_field=MONEY),
    )
    for company_id, kind, n, amount in unconfirmed.union(
        unverified, missed, orders, all=True
    ).order_by():
        found = extras[company_id]
        if kind == UNCONFIRMED:
            found.confirmed -= amount or ZERO
        elif kind == UNVERIFIED:
            found.unverified_cases, found.unverified_claimed = n, amount or ZERO
        elif kind == MISSED:
            found.missed_instalments = n
        else:
            found.open_orders = n
    return extras
