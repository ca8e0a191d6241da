"""Reads of the arrears ledger per employer, for the cases the user may see.

A case counts for every company its employer chain names (liability follows the chain), so
the rows of a platform and of its operator overlap. Per case: claimed, verified, agreed, paid
(the sum of its payments) and outstanding = agreed (or else verified, or else the claim) −
paid, never below zero, and nothing once the worker has waived the rest.

On PostgreSQL the sums come from the ledger rollup that triggers keep (arrears/models.py): one
query for the district, a few for a narrower scope, whatever the number of cases. Elsewhere
(SQLite, small data) they are added up from the cases; the two give the same figures.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection, models
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Trim

from arrears.employer_extras import EXTRA_SUMS, Extras, employer_extras, extras_from_rollup
from arrears.models import EmployerBalance, EmployerTotal, LedgerLine, Payment
from casework.cases.models import Case, CaseParty
from casework.core.access import CaseKeys
from casework.core.errors import CaseNotFound
from casework.organisation.access import case_keys_for, scope_for
from casework.organisation.models import User
from platforms.models import Company

SORTS = ("outstanding", "cases", "claimed", "verified", "agreed", "paid")
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


class NotStaff(CaseNotFound):
    """Employer totals are for staff; anyone else is answered 404."""


@dataclass
class Figures:
    cases: int = 0
    workers: int = 0
    claimed: Decimal = ZERO
    verified: Decimal = ZERO
    agreed: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO


@dataclass
class EmployerRow:
    company: Company
    figures: Figures
    extras: Extras = field(default_factory=Extras)


@dataclass
class EmployerPage:
    rows: list[EmployerRow]
    sort: str
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


@dataclass
class CaseLine:
    """One case on a company's page."""

    case: Case
    claimed: Decimal
    verified: Decimal | None
    agreed: Decimal | None
    paid: Decimal
    outstanding: Decimal


@dataclass
class EmployerDetail:
    company: Company
    chain_above: list[Company]
    figures: Figures
    extras: Extras
    lines: list[CaseLine]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _keys_for(user: User) -> CaseKeys:
    scope = scope_for(user)
    if not (scope.is_staff_member or scope.is_admin):
        raise NotStaff
    return case_keys_for(scope)


def _use_rollup(keys: CaseKeys) -> bool:
    # The rollup has no worker column: a staff member's own complaints (as a worker) are
    # added up from the cases.
    return connection.vendor == "postgresql" and keys.worker_id is None


def _page_size() -> int:
    return settings.ANXIN_QUEUE_PAGE_SIZE


def _slice(page: int) -> slice:
    size = _page_size()
    return slice((page - 1) * size, page * size + 1)


# The totals page ------------------------------------------------------------------------------


def employer_totals_for_user(*, user: User, sort: str = "outstanding", page: int = 1):
    """One page of employers, largest first by `sort` (outstanding unless told otherwise)."""
    keys = _keys_for(user)
    sort = sort if sort in SORTS else "outstanding"
    page = max(1, min(page, 10_000))
    size = _page_size()
    if not _use_rollup(keys):
        rows = _live_totals(keys, sort)[_slice(page)]
        rows, has_next = rows[:size], len(rows) > size
        extras = employer_extras(keys, {row.company.pk: row.figures.paid for row in rows})
        for row in rows:
            row.extras = extras[row.company.pk]
        return EmployerPage(rows=rows, sort=sort, number=page, has_next=has_next)
    # The rollup has the extras too: the page is its rows, read in order (one index scan
    # for the default sort), whatever the number of cases.
    if keys.everything:
        rows = [
            EmployerRow(
                total.company,
                _figures(total, workers=total.workers),
                extras_from_rollup(total),
            )
            for total in EmployerTotal.objects.select_related("company").order_by(
                f"-{sort}", "-company_id"
            )[_slice(page)]
        ]
    else:
        rows = _scoped_totals(keys, sort, page)
    rows, has_next = rows[:size], len(rows) > size
    return EmployerPage(rows=rows, sort=sort, number=page, has_next=has_next)


def _figures(row, *, workers: int) -> Figures:
    return Figures(
        cases=row.cases,
        workers=workers,
        claimed=row.claimed,
        verified=row.verified,
        agreed=row.agreed,
        paid=row.paid,
        outstanding=row.outstanding,
    )


def _sums() -> dict:
    return {name: Sum(name) for name in SORTS + EXTRA_SUMS}


def _scoped_totals(keys: CaseKeys, sort: str, page: int) -> list[EmployerRow]:
    """Sums over the streets and teams the user sees; distinct workers from the lines."""
    balances = list(
        EmployerBalance.objects.filter(keys.q())
        .values("company_id", "company__name", "company__short_name", "company__kind")
        .annotate(**_sums())
        .order_by(f"-{sort}", "-company_id")[_slice(page)]
    )
    workers = dict(
        LedgerLine.objects.filter(keys.q(), company_id__in=[b["company_id"] for b in balances])
        .values("company_id")
        .annotate(n=Count("worker_id", distinct=True))
        .values_list("company_id", "n")
        .order_by()
    )
    return [
        EmployerRow(
            Company(
                pk=b["company_id"],
                name=b["company__name"],
                short_name=b["company__short_name"],
                kind=b["company__kind"],
            ),
            Figures(
                cases=b["cases"],
                workers=workers.get(b["company_id"], 0),
                **{name: b[name] for name in SORTS if name != "cases"},
            ),
            extras_from_rollup(b),
        )
        for b in balances
    ]


def _outstanding(paid) -> models.Case:
    """agreed (else verified, else the unverified claim) − paid, not below zero; zero once
    the rest is waived."""
    owed = Coalesce("amount_agreed", "amount_verified", "amount_claimed", output_field=MONEY)
    return models.Case(
        When(~Q(waived=""), then=Value(ZERO)),
        default=Greatest(owed - paid, Value(ZERO), output_field=MONEY),
        output_field=MONEY,
    )


def _cases_with_money(keys: CaseKeys) -> QuerySet[Case]:
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
    return (
        Case.objects.filter(keys.q())
        .annotate(paid=paid, waived=Trim("outstanding_waived"))
        .annotate(outstanding=_outstanding(paid))
    )


def _live_totals(keys: CaseKeys, sort: str) -> list[EmployerRow]:
    """The same figures added up from the cases (SQLite): two queries and a pass in Python
    (the parties bring what the page shows of their companies)."""
    pairs = (
        CaseParty.objects.filter(company__isnull=False, case__in=Case.objects.filter(keys.q()))
        .values_list(
            "case_id", "company_id", "company__name", "company__short_name", "company__kind"
        )
        .distinct()
    )
    companies_of: dict[int, set[int]] = defaultdict(set)
    companies: dict[int, Company] = {}
    for case_id, company_id, name, short_name, kind in pairs:
        companies_of[case_id].add(company_id)
        if company_id not in companies:
            companies[company_id] = Company(
                pk=company_id, name=name, short_name=short_name, kind=kind
            )
    sums: dict[int, Figures] = defaultdict(Figures)
    workers: dict[int, set[int]] = defaultdict(set)
    for case in _cases_with_money(keys).filter(pk__in=list(companies_of)).values(
        "pk", "worker_id", "amount_claimed", "amount_verified", "amount_agreed", "paid",
        "outstanding",
    ):  # fmt: skip
        for company_id in companies_of[case["pk"]]:
            figures = sums[company_id]
            figures.cases += 1
            figures.claimed += case["amount_claimed"]
            figures.verified += case["amount_verified"] or ZERO
            figures.agreed += case["amount_agreed"] or ZERO
            figures.paid += case["paid"]
            figures.outstanding += case["outstanding"]
            workers[company_id].add(case["worker_id"])
    rows = []
    for company_id, figures in sums.items():
        figures.workers = len(workers[company_id])
        rows.append(EmployerRow(companies[company_id], figures))
    rows.sort(key=lambda row: (getattr(row.figures, sort), row.company.pk), reverse=True)
    return rows


# One company's page ---------------------------------------------------------------------------


def employer_get_for_user(*, user: User, company_id, page: int = 1) -> EmployerDetail:
    """A company's figures and its cases, largest balance first; CaseNotFound when the company
    does not exist or the user sees none of its cases."""
    keys = _keys_for(user)
    try:
        company_id = int(company_id)
        if _use_rollup(keys) and keys.everything:
            # The district: the company's rollup row brings the company (one query, not two);
            # a company without cases has none (404).
            total = EmployerTotal.objects.select_related("company__parent__parent").get(
                company_id=company_id
            )
            company = total.company
        else:
            total = None
            company = Company.objects.select_related("parent__parent").get(pk=company_id)
    except (Company.DoesNotExist, EmployerTotal.DoesNotExist, ValueError, TypeError,
            OverflowError) as exc:  # fmt: skip
        raise CaseNotFound from exc
    page = max(1, min(page, 10_000))
    if total is not None:
        figures, extras = _figures(total, workers=total.workers), extras_from_rollup(total)
    elif _use_rollup(keys):
        figures, extras = _rollup_figures(keys, company)
    if _use_rollup(keys):
        lines = [
            CaseLine(
                line.case, line.claimed, line.verified, line.agreed, line.paid, line.outstanding
            )
            for line in LedgerLine.objects.filter(keys.q(), company=company)
            .select_related("case__jurisdiction")
            .order_by("-outstanding", "-case_id")[_slice(page)]
        ]
    else:
        cases = _cases_with_money(keys).filter(
            Exists(CaseParty.objects.filter(case=OuterRef("pk"), company=company))
        )
        figures = _live_figures(cases)
        extras = None
        lines = [
            CaseLine(
                case,
                case.amount_claimed,
                case.amount_verified,
                case.amount_agreed,
                case.paid,
                case.outstanding,
            )
            for case in cases.select_related("jurisdiction").order_by("-outstanding", "-pk")[
                _slice(page)
            ]
        ]
    if not figures.cases:
        raise CaseNotFound
    above, link = [], company.parent
    while link is not None:  # the parent and grandparent came with the company
        above.insert(0, link)
        if len(above) == 2:
            break
        link = link.parent
    size = _page_size()
    return EmployerDetail(
        company=company,
        chain_above=above,
        figures=figures,
        extras=extras or employer_extras(keys, {company.pk: figures.paid})[company.pk],
        lines=lines[:size],
        number=page,
        has_next=len(lines) > size,
    )


def _rollup_figures(keys: CaseKeys, company: Company) -> tuple[Figures, Extras]:
    """A company's sums within a narrower scope than the district's."""
    sums = EmployerBalance.objects.filter(keys.q(), company=company).aggregate(**_sums())
    if not sums["cases"]:
        return Figures(), Extras()
    workers = LedgerLine.objects.filter(keys.q(), company=company).aggregate(
        n=Count("worker_id", distinct=True)
    )["n"]
    extras = extras_from_rollup(sums)
    return Figures(workers=workers, **{name: sums[name] for name in SORTS}), extras


def _live_figures(cases: QuerySet[Case]) -> Figures:
    sums = cases.aggregate(
        n_cases=Count("pk"),
        n_workers=Count("worker_id", distinct=True),
        sum_claimed=Sum("amount_claimed"),
        sum_verified=Sum("amount_verified"),
        sum_agreed=Sum("amount_agreed"),
        sum_paid=Sum("paid"),
        sum_outstanding=Sum("outstanding"),
    )
    cent = Decimal("0.01")
    return Figures(
        cases=sums.pop("n_cases"),
        workers=sums.pop("n_workers"),
        **{
            name.removeprefix("sum_"): (value or ZERO).quantize(cent)
            for name, value in sums.items()
        },
    )
