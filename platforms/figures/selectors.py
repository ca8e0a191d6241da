"""Reads of the response figures. Every function takes the user:

- the registry's keepers (platforms.registry.access: the district's supervisors and the
  administrators) see every company;
- a representative sees the company they answer for and the companies below it
  (platforms.portal.access), and nobody else's: another company answers NotFound (404).

Each table is counted in a constant number of statements (platforms/figures/counting.py),
whatever the number of companies and months."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.cases.models import Case, CaseParty
from casework.clocks.models import Deadline, DeadlineStatus
from casework.core.errors import NotFound
from platforms.figures.counting import RESPONSE_RULE, Figures, count_figures
from platforms.figures.months import MonthRange
from platforms.models import Company
from platforms.portal.access import represented_company_ids
from platforms.portal.selectors import portal_cases
from platforms.registry.access import may_manage_registry

# The columns of a figures table, in order; the sort keys of the companies table.
COLUMNS = ("requests", "on_time", "late", "open", "overdue", "no_longer_owed", "median", "p90")
# The outcomes a number in the table stands for, as the list of cases behind it filters them.
OUTCOMES = ("requests", "on_time", "late", "open", "overdue", "no_longer_owed")


@dataclass
class CompanyRow:
    company: Company
    depth: int  # 0 for the top of a chain shown, 1 for the companies under it, ...
    figures: Figures
    parent_name: str = ""


@dataclass
class MonthRow:
    month: date
    figures: Figures

    @property
    def month_key(self) -> str:
        return f"{self.month:%Y-%m}"


@dataclass
class CompanyMonths:
    company: Company
    months: list[MonthRow]
    total: Figures
    below: list[Company] = field(default_factory=list)


def _chain_order(companies: list[Company], tops: list[Company]) -> list[tuple[Company, int]]:
    """Each top with the companies below it, depth first, by name."""
    children: dict[int, list[Company]] = {}
    for company in companies:
        children.setdefault(company.parent_id, []).append(company)
    ordered, seen = [], set()

    def walk(company: Company, depth: int) -> None:
        if company.pk in seen:  # a loop in the chain must not hang the page
            return
        seen.add(company.pk)
        ordered.append((company, depth))
        for child in sorted(children.get(company.pk, []), key=lambda c: (c.name, c.pk)):
            walk(child, depth + 1)

    for top in sorted(tops, key=lambda c: (c.kind != "platform", c.name, c.pk)):
        walk(top, 0)
    return ordered


def _sort_key(column: str):
    def key(row: CompanyRow):
        figures = row.figures
        value = {"median": figures.median_days, "p90": figures.p90_days}.get(
            column, getattr(figures, column, 0)
        )
        # Largest first; a company with no time to respond (nothing answered) goes last.
        return (value is None, -(value or 0), row.company.name, row.company.pk)

    return key


def _visible_company_ids(user, as_representative: bool) -> frozenset[int] | None:
    """The companies whose figures the user reads on the portal (`as_representative`) or on
    the registry's pages; None: every company. Raises NotFound when the pages are not theirs
    (the registry's for anyone who does not keep it, the portal's for a non-representative)."""
    if as_representative:
        return represented_company_ids(user)
    if may_manage_registry(user):
        return None
    raise NotFound


def company_figures_list(
    *,
    user,
    months: MonthRange,
    sort: str = "",
    as_representative: bool = False,
    today: date | None = None,
) -> list[CompanyRow]:
    """One row per company with a request in `months` that the user may see, each counting
    its own requests and those of the companies below it; the chains in order (platforms
    first, each followed by the companies under it) unless sorted by a column."""
    visible = _visible_company_ids(user, as_representative)
    today = today or timezone.localdate()
    companies = Company.objects.only("pk", "name", "short_name", "kind", "parent_id")
    if visible is not None:
        companies = companies.filter(pk__in=visible)
    companies = list(companies)
    counted = count_figures(
        root_ids=None if visible is None else sorted(visible),
        start=months.first,
        end=months.end,
        today=today,
        by_month=False,
    )
    shown = [c for c in companies if (c.pk, "") in counted]
    shown_ids = {c.pk for c in shown}
    tops = [c for c in shown if c.parent_id not in shown_ids]
    names = {company.pk: company.name for company in companies}
    rows = [
        CompanyRow(company, depth, counted[(company.pk, "")], names.get(company.parent_id, ""))
        for company, depth in _chain_order(shown, tops)
    ]
    if sort in COLUMNS:
        rows.sort(key=_sort_key(sort))
        for row in rows:
            row.depth = 0
    return rows


def company_get_for_figures(*, user, company_id, as_representative: bool = False) -> Company:
    visible = _visible_company_ids(user, as_representative)
    try:
        company_id = int(company_id)
    except (TypeError, ValueError) as exc:
        raise NotFound from exc
    if visible is not None and company_id not in visible:
        raise NotFound
    try:
        return Company.objects.select_related("parent").get(pk=company_id)
    except Company.DoesNotExist as exc:
        raise NotFound from exc


def company_figures_by_month(
    *,
    user,
    company_id,
    months: MonthRange,
    as_representative: bool = False,
    today: date | None = None,
) -> CompanyMonths:
    """The company's figures (its own and its chain's below) for each month of `months`,
    months without a request included, and over the whole range."""
    company = company_get_for_figures(
        user=user, company_id=company_id, as_representative=as_representative
    )
    today = today or timezone.localdate()
    by_month = count_figures(
        root_ids=[company.pk], start=months.first, end=months.end, today=today, by_month=True
    )
    total = count_figures(
        root_ids=[company.pk], start=months.first, end=months.end, today=today, by_month=False
    )
    return CompanyMonths(
        company=company,
        months=[
            MonthRow(month, by_month.get((company.pk, f"{month:%Y-%m}"), Figures()))
            for month in months.months
        ],
        total=total.get((company.pk, ""), Figures()),
    )


def represented_tops(*, user) -> list[Company]:
    """The companies a representative answers for that are not below another of them."""
    visible = represented_company_ids(user)
    companies = list(Company.objects.filter(pk__in=visible).only("pk", "name", "parent_id"))
    return sorted(
        (c for c in companies if c.parent_id not in visible), key=lambda c: (c.name, c.pk)
    )


def _outcome_q(outcome: str, today: date) -> Q:
    running = Q(status=DeadlineStatus.RUNNING)
    return {
        "requests": ~Q(status=DeadlineStatus.CANCELLED),
        "on_time": Q(status=DeadlineStatus.MET),
        "late": Q(status=DeadlineStatus.BREACHED),
        "open": Q(status=DeadlineStatus.PAUSED) | (running & Q(due_on__gte=today)),
        "overdue": running & Q(due_on__lt=today),
        "no_longer_owed": Q(status=DeadlineStatus.CANCELLED),
    }[outcome]


def company_chain_ids(company: Company) -> list[int]:
    """The company and every company below it, in one query."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Company.objects.filter(parent__isnull=False).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    found, frontier = {company.pk}, [company.pk]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return sorted(found)


def figure_cases(
    *,
    user,
    company_id,
    months: MonthRange,
    outcome: str,
    as_representative: bool = False,
    today: date | None = None,
) -> QuerySet[Case]:
    """The cases behind one number of a figures table: those naming the company (or one
    below it) with a response request made in `months` that had `outcome`. A case asked
    twice in the range is listed once."""
    company = company_get_for_figures(
        user=user, company_id=company_id, as_representative=as_representative
    )
    if outcome not in OUTCOMES:
        raise NotFound
    today = today or timezone.localdate()
    chain = company_chain_ids(company)
    clocks = Deadline.objects.filter(
        _outcome_q(outcome, today),
        case=OuterRef("pk"),
        rule__key=RESPONSE_RULE,
        started_on__gte=months.first,
        started_on__lt=months.end,
    )
    named = CaseParty.objects.filter(case=OuterRef("pk"), company_id__in=chain)
    # A representative's list is the portal's (what the bureau has put to the employer).
    cases = portal_cases(user=user) if as_representative else Case.objects.all()
    return (
        cases.filter(Exists(named), Exists(clocks))
        .prefetch_related("parties__company")
        .order_by("-created_at", "-pk")
    )
