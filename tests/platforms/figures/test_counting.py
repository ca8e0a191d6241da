"""The figures as the database counts them: outcomes, the chain, working days, percentiles,
and a constant number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection

from casework.clocks.work_calendar import load_calendar
from platforms.figures.counting import percentile_cont, working_days_in_database
from platforms.figures.months import MonthRange
from platforms.figures.selectors import company_figures_by_month, company_figures_list
from platforms.models import Company
from tests.factories.cases import make_org
from tests.platforms.figures.scenario import TODAY, ask, build

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]

FEB_TO_MAR = MonthRange(date(2026, 2, 1), date(2026, 3, 1))


@pytest.fixture
def org():
    return make_org()


def _numbers(figures):
    return (
        figures.requests,
        figures.on_time,
        figures.late,
        figures.open,
        figures.overdue,
        figures.no_longer_owed,
        figures.median_days,
        figures.p90_days,
    )


def test_each_request_is_counted_by_its_outcome_in_the_month_it_was_made(org):
    build(org)
    table = company_figures_by_month(
        user=org.supervisor, company_id=org.platform.pk, months=FEB_TO_MAR
    )
    february, march = table.months
    # On time (2 working days) and late (4: the make-up Saturday counts, the holiday not).
    assert _numbers(february.figures) == (2, 1, 1, 0, 0, 0, 3.0, 3.8)
    # The operator's unanswered request is overdue, the one due Wednesday open, the
    # withdrawn one no longer owed and not a request.
    assert _numbers(march.figures) == (2, 0, 0, 1, 1, 1, None, None)
    assert _numbers(table.total) == (4, 1, 1, 1, 1, 1, 3.0, 3.8)


def test_a_platform_counts_its_operators_requests_once_and_the_operator_only_its_own(org):
    scenario = build(org)
    rows = {
        row.company.pk: row for row in company_figures_list(user=org.supervisor, months=FEB_TO_MAR)
    }
    # The late case names both the platform and the operator: once for each.
    assert _numbers(rows[org.operator.pk].figures) == (2, 0, 1, 0, 1, 0, 4.0, 4.0)
    assert rows[org.platform.pk].figures.requests == 4
    assert _numbers(rows[scenario.rival.pk].figures) == (1, 1, 0, 0, 0, 0, 1.0, 1.0)
    # The chain in order: the platform, then the operator under it.
    order = [row.company.pk for row in company_figures_list(user=org.supervisor, months=FEB_TO_MAR)]
    assert order.index(org.operator.pk) == order.index(org.platform.pk) + 1
    assert rows[org.operator.pk].depth == 1


def test_sorting_by_overdue_puts_the_most_overdue_first(org):
    scenario = build(org)
    rows = company_figures_list(user=org.supervisor, months=FEB_TO_MAR, sort="overdue")
    assert rows[-1].company == scenario.rival
    assert {rows[0].company, rows[1].company} == {org.platform, org.operator}


def test_months_outside_the_range_are_not_counted(org):
    build(org)
    march = MonthRange(date(2026, 3, 1), date(2026, 3, 1))
    rows = {row.company.pk: row for row in company_figures_list(user=org.supervisor, months=march)}
    assert _numbers(rows[org.platform.pk].figures) == (2, 0, 0, 1, 1, 1, None, None)
    assert len(rows) == 2  # the rival platform asked nothing in March


@pytest.mark.parametrize(
    "start",
    [date(2026, 2, 9), date(2026, 2, 13), date(2026, 2, 14), date(2025, 12, 30), date(2026, 9, 25)],
)
def test_the_database_counts_working_days_as_the_official_calendar_does(start):
    calendar = load_calendar(fresh=True)
    for length in (0, 1, 2, 5, 9, 16, 40):
        end = start + timedelta(days=length)
        assert working_days_in_database(start, end) == calendar.working_days_between(start, end), (
            start,
            end,
        )


def test_percentiles_interpolate_as_postgresql_does():
    assert percentile_cont([], 0.5) is None
    assert percentile_cont([4], 0.9) == 4
    assert percentile_cont([1, 2, 3, 4], 0.5) == 2.5
    assert percentile_cont([0, 10], 0.9) == 9
    assert percentile_cont([5, 1, 3, 2, 4, 6, 8, 7, 9, 10], 0.9) == pytest.approx(9.1)


def test_median_and_p90_over_known_answers(org):
    # Ten requests on Monday 2 March answered 0..9 working days later (no holiday in March).
    calendar = load_calendar(fresh=True)
    from tests.platforms.figures.scenario import answer

    asked_on = date(2026, 3, 2)
    for days in range(10):
        case = ask(org, asked_on, org.platform)
        answer(org, calendar.add_working_days(asked_on, days).day, case)
    march = MonthRange(date(2026, 3, 1), date(2026, 3, 1))
    row = company_figures_list(user=org.supervisor, months=march)[0]
    assert (row.figures.answered, row.figures.median_days, row.figures.p90_days) == (
        10,
        4.5,
        pytest.approx(8.1),
    )
    assert (row.figures.median_shown, row.figures.p90_shown) == ("4.5", "8.1")


def _queries(callable_):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_query_counts_do_not_grow_with_companies_or_months(org, django_assert_num_queries):
    supervisor = org.supervisor
    one_month = MonthRange(date(2026, 3, 1), date(2026, 3, 1))
    ask(org, date(2026, 3, 2), org.platform)
    company_figures_list(user=supervisor, months=one_month)  # warm the user's caches
    statements = 1 if connection.vendor == "postgresql" else 2  # + the ranked times on SQLite
    small_list = _queries(lambda: company_figures_list(user=supervisor, months=one_month))
    small_months = _queries(
        lambda: company_figures_by_month(
            user=supervisor, company_id=org.platform.pk, months=one_month
        )
    )
    build(org)
    for number in range(5):
        parent = Company.objects.create(name=f"平台{number}", kind="platform", industry="courier")
        child = Company.objects.create(
            name=f"站点{number}", kind="operator", industry="courier", parent=parent
        )
        ask(org, date(2026, 1, 5 + number), parent, child)
    two_years = MonthRange(date(2025, 4, 1), date(2027, 3, 1))
    with django_assert_num_queries(1 + statements):  # the companies, then the figures
        rows = company_figures_list(user=supervisor, months=two_years)
    assert len(rows) > 10
    assert small_list == 1 + statements
    with django_assert_num_queries(small_months):  # the company, by month, over the range
        table = company_figures_by_month(
            user=supervisor, company_id=org.platform.pk, months=two_years
        )
    assert len(table.months) == 24


def test_mediation_started_while_waiting_ends_the_request_as_the_clocks_say(org):
    # casework/clocks/paths.py: start_mediation meets the response clock, as an answer does.
    from tests.factories.cases import transition_on

    case = ask(org, date(2026, 3, 2), org.platform)
    transition_on(date(2026, 3, 3), case, "start_mediation", org.supervisor)
    march = MonthRange(date(2026, 3, 1), date(2026, 3, 1))
    row = company_figures_list(user=org.supervisor, months=march)[0]
    assert _numbers(row.figures) == (1, 1, 0, 0, 0, 0, 1.0, 1.0)
