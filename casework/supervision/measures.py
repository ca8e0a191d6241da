"""The dashboard's measures over a date range, for the streets and parks a supervisor
oversees (属地, as the figure cards count), narrowed by unit, category and platform.

What each figure counts (the tests recount each one by brute force):
- open cases: open now (the date range does not apply), by status, category, street, and
  by platform or operator named on the case (a case naming two counts for each);
- new: cases filed in the range; resolved: "resolve" steps taken in the range (a case
  reopened and resolved again counts again), both per week (weeks start on Monday);
- clocks: per kind, those that closed in the range (met on time or late) and the share met
  on time; overdue now: running past their due day, on open cases;
- time to acceptance and to resolution: calendar days from filing to the first "accept" or
  "resolve" step, for the cases filed in the range that got there; median and p90 as
  PostgreSQL's percentile_cont computes them;
- collective: cases filed in the range that belong to a collective group;
- money (arrears.selectors.case_money_totals): claimed, verified and agreed on the cases
  filed in the range; recovered = payments the worker confirmed, dated in the range; the
  recovery rate = confirmed payments on the cases filed in the range ÷ what is owed on them;
- platform responses: response requests (the PLATFORM_RESPONSE clock) started in the range,
  the share answered and the share answered on time.

A fixed number of grouped queries, whatever the number of cases (a test counts them).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from arrears.period_totals import MoneyTotals
from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case, CaseParty
from casework.clocks.models import DeadlineRule
from casework.core.errors import CaseNotFound
from casework.organisation.access import scope_for, unit_descendants
from casework.organisation.models import Unit, User
from casework.supervision import counted, rollups
from casework.supervision.filters import MeasureFilters
from casework.supervision.waits import Durations, durations, histogram_durations
from platforms.choices import CompanyKind
from platforms.models import Company

CHAIN_KINDS = (CompanyKind.PLATFORM, CompanyKind.OPERATOR)
TOP_COMPANIES = 12
# Count, median and p90 in days of the two waits an inner (ORM-built, parameterised) query
# returns per case (NULL where the case has not got there: aggregates skip it).


@dataclass
class ClockRow:
    key: str
    name: str
    met: int = 0
    late: int = 0
    overdue_now: int = 0

    @property
    def closed(self) -> int:
        return self.met + self.late

    @property
    def on_time_share(self) -> Decimal | None:
        return _share(self.met, self.closed)


@dataclass
class Measures:
    filters: MeasureFilters
    open_by_state: list[tuple[str, int]]
    open_by_category: list[tuple[str, int]]
    open_by_street: list[tuple[int, str, int]]
    open_by_company: list[tuple[int, str, int]]
    weeks: list[tuple[date, int, int]]  # (Monday, new, resolved)
    clocks: list[ClockRow]
    to_acceptance: Durations
    to_resolution: Durations
    collective: int
    money: MoneyTotals
    responses_requested: int
    responses_answered: int
    responses_on_time: int
    units: list[tuple[int, str]] = field(default_factory=list)  # the unit filter's options
    companies: list[tuple[int, str]] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(n for _state, n in self.open_by_state)

    @property
    def new_total(self) -> int:
        return sum(new for _week, new, _resolved in self.weeks)

    @property
    def resolved_total(self) -> int:
        return sum(resolved for _week, _new, resolved in self.weeks)

    @property
    def overdue_now(self) -> int:
        return sum(row.overdue_now for row in self.clocks)

    @property
    def on_time_share(self) -> Decimal | None:
        return _share(sum(r.met for r in self.clocks), sum(r.closed for r in self.clocks))

    @property
    def response_rate(self) -> Decimal | None:
        return _share(self.responses_answered, self.responses_requested)

    @property
    def response_on_time_rate(self) -> Decimal | None:
        return _share(self.responses_on_time, self.responses_requested)


def _share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """A percentage with one decimal, None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def measure_units_for_user(*, user: User) -> tuple[set[int], list[tuple[int, str]]]:
    """The streets and parks the user oversees, and the units they may filter by (their
    own and everything below). CaseNotFound for anyone but a supervisor or administrator."""
    scope = scope_for(user)
    if not (scope.supervised_unit_ids or scope.is_admin):
        raise CaseNotFound
    units = list(Unit.objects.order_by("name", "pk").values_list("pk", "name"))
    allowed = {pk for pk, _name in units} if scope.is_admin else set(scope.supervised_unit_ids)
    return allowed, [(pk, name) for pk, name in units if pk in allowed]


def _scope_q(territory: set[int], filters: MeasureFilters, prefix: str = "") -> Q:
    """The cases in the territory and the filters, as a filter on a model whose `prefix`
    leads to the case (a payment's "case__"): a join instead of an IN (subquery)."""
    q = Q(**{f"{prefix}jurisdiction_id__in": sorted(territory)})
    if filters.category:
        q &= Q(**{f"{prefix}category": filters.category})
    if filters.company_id:
        named = CaseParty.objects.filter(
            case=OuterRef(f"{prefix}pk" if prefix else "pk"), company_id=filters.company_id
        )
        q &= Exists(named)
    return q


def _scoped_cases(user: User, filters: MeasureFilters):
    allowed, unit_options = measure_units_for_user(user=user)
    territory = allowed
    if filters.unit_id is not None:
        if filters.unit_id not in allowed:  # a forged id or a unit above or beside theirs
            raise CaseNotFound
        territory = unit_descendants({filters.unit_id}) & allowed
    return Case.objects.filter(_scope_q(territory, filters)), unit_options, territory


def dashboard_measures_for_user(*, user: User, filters: MeasureFilters) -> Measures:
    """The measures over the user's territory and the filters; CaseNotFound (404) for anyone
    but a supervisor, and for a unit they do not oversee."""
    cases, unit_options, territory = _scoped_cases(user, filters)
    today = timezone.localdate()
    since, until = _moment(filters.start), _moment(filters.end + timedelta(days=1))
    filed = cases.filter(created_at__gte=since, created_at__lt=until)

    rolled_up = rollups.rollups_apply(filters.company_id)
    if rolled_up:
        open_rows = rollups.open_counts(territory, filters.category)
    else:
        open_rows = (
            cases.filter(state__in=OPEN_STATES)
            .values_list("state", "category", "jurisdiction_id")
            .annotate(n=Count("*"))
            .order_by()
        )
    by_state: dict[str, int] = defaultdict(int)
    by_category: dict[str, int] = defaultdict(int)
    by_street: dict[int, int] = defaultdict(int)
    for state, category, street, n in open_rows:
        by_state[state] += n
        by_category[category] += n
        by_street[street] += n
    names = dict(unit_options)  # the streets counted are among the units they may choose
    if rolled_up:
        companies = rollups.open_by_company(territory, filters.category, CHAIN_KINDS, TOP_COMPANIES)
    else:
        companies = (
            CaseParty.objects.filter(
                case__in=cases.filter(state__in=OPEN_STATES), company__kind__in=CHAIN_KINDS
            )
            .values_list("company_id", "company__name")
            .annotate(n=Count("case_id", distinct=True))
            .order_by("-n", "company__name")[:TOP_COMPANIES]
        )
    return Measures(
        filters=filters,
        open_by_state=[(state, by_state[state]) for state in OPEN_STATES],
        open_by_category=sorted(by_category.items(), key=lambda item: (-item[1], item[0])),
        open_by_street=sorted(
            ((pk, names.get(pk, "?"), n) for pk, n in by_street.items()),
            key=lambda row: (-row[2], row[1]),
        ),
        open_by_company=list(companies),
        **_figures(rolled_up, cases, filed, territory, filters, since, until, today),
        collective=filed.filter(group__collective_since__isnull=False).count(),
        units=unit_options,
        companies=chain_companies(),
    )


def _figures(rolled_up, cases, filed, territory, filters, since, until, today) -> dict:
    """New and resolved per week, clocks, money, waits and responses: added up from the
    daily rollups where they apply, else counted from the rows."""
    start, end = filters.start, filters.end
    if rolled_up:
        new, resolved, money = rollups.day_figures(
            territory, filters.category, start, end, since, until
        )
        clocks, responses = rollups.clock_figures(territory, filters.category, start, end, today)
    else:
        case_q = _scope_q(territory, filters, prefix="case__")
        new, resolved, money = counted.day_figures(cases, filed, case_q, start, end, since, until)
        clocks, responses = counted.clock_figures(cases, start, end, since, until, today)
    rows = []
    for rule in DeadlineRule.objects.order_by("pk"):
        found = clocks.get(rule.key, {})
        row = ClockRow(rule.key, rule.localized_name, found.get("met", 0),
                       found.get("late", 0), found.get("overdue", 0))  # fmt: skip
        if row.closed or row.overdue_now:
            rows.append(row)
    return {
        "weeks": _weeks(new, resolved, filters),
        "clocks": rows,
        "money": money,
        **(
            histogram_durations(territory, filters.category, start, end, since, until)
            if rolled_up
            else durations(filed)
        ),
        "responses_requested": responses["requested"],
        "responses_answered": responses["answered"],
        "responses_on_time": responses["on_time"],
    }


def chain_companies() -> list[tuple[int, str]]:
    """The platform and operator filter's options."""
    return list(
        Company.objects.filter(kind__in=CHAIN_KINDS)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks(new_days, resolved_days, filters) -> list[tuple[date, int, int]]:
    """New and resolved per week (Beijing time), every week of the range, empty ones too,
    folded from (day, count) pairs."""
    new: dict[date, int] = defaultdict(int)
    for day, n in new_days:
        new[week_start(day)] += n
    resolved: dict[date, int] = defaultdict(int)
    for day, n in resolved_days:
        resolved[week_start(day)] += n
    weeks, monday = [], week_start(filters.start)
    while monday <= filters.end:
        weeks.append((monday, new[monday], resolved[monday]))
        monday += timedelta(days=7)
    return weeks
