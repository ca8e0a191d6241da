"""The official working-day calendar (holidays and make-up workdays, 调休) seeded from
chinese-calendar, deadlines on it, provisional dates in years without data, and properties of
the working-day arithmetic (hypothesis)."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.clocks.models import CalendarDay, CalendarYear, Deadline, DeadlinePause, DeadlineRule
from casework.clocks.services import recompute
from casework.clocks.work_calendar import WorkCalendar, forget_calendar, load_calendar
from tests.factories.cases import (
    cover_streets_with_unit_office,
    make_case,
    make_case_on,
    make_org,
)

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2004, 1, 1), date(2026, 12, 31)


@pytest.fixture(autouse=True)
def fresh_calendar():
    """The calendar is cached per process: start and end every test without the cache."""
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture
def calendar() -> WorkCalendar:
    return load_calendar(fresh=True)


def days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def nth_workday_after(start: date, n: int) -> date:
    """Oracle from chinese-calendar itself (2004-2026 only)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


# --- The seeded table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("holidays", "makeup", "around"),
    [
        pytest.param(
            (date(2025, 10, 1), date(2025, 10, 8)),
            [date(2025, 9, 28), date(2025, 10, 11)],
            [date(2025, 9, 30), date(2025, 10, 9)],
            id="national-day-2025",
        ),
        pytest.param(
            (date(2025, 1, 28), date(2025, 2, 4)),
            [date(2025, 1, 26), date(2025, 2, 8)],
            [date(2025, 1, 27), date(2025, 2, 5)],
            id="spring-festival-2025",
        ),
        pytest.param(
            (date(2026, 2, 15), date(2026, 2, 23)),
            [date(2026, 2, 14), date(2026, 2, 28)],
            [date(2026, 2, 13), date(2026, 2, 24)],
            id="spring-festival-2026",
        ),
        pytest.param(
            (date(2026, 10, 1), date(2026, 10, 7)),
            [date(2026, 9, 20), date(2026, 10, 10)],
            [date(2026, 9, 30), date(2026, 10, 8)],
            id="national-day-2026",
        ),
    ],
)
def test_holiday_weeks_and_their_make_up_workdays(calendar, holidays, makeup, around):
    first, last = holidays
    assert [d for d in days(first, last) if calendar.is_working_day(d)] == []
    for day in makeup:
        assert day.weekday() >= 5, "a make-up workday falls on a weekend"
        assert calendar.is_working_day(day), day
        assert chinese_calendar.is_workday(day), day
    # the weekdays just before and after the holiday are ordinary working days
    assert all(calendar.is_working_day(day) for day in around)
    assert all(not chinese_calendar.is_workday(d) for d in days(first, last))


def test_the_table_agrees_with_chinese_calendar_on_every_day_of_2025_and_2026(calendar):
    wrong = [
        day
        for day in days(date(2025, 1, 1), date(2026, 12, 31))
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day)
    ]
    assert wrong == []


def test_the_table_agrees_with_chinese_calendar_from_2004(calendar):
    wrong = [
        day
        for day in days(FIRST, LAST)
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day)
    ]
    assert wrong == []


def test_covered_years_are_exactly_those_chinese_calendar_knows(calendar):
    assert calendar.covers(date(2004, 6, 1)) and calendar.covers(date(2026, 12, 31))
    assert not calendar.covers(date(2027, 1, 1)) and not calendar.covers(date(2003, 12, 31))
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(range(2004, 2027))


def test_the_seeded_days_are_named(calendar):
    national_day = CalendarDay.objects.get(date=date(2025, 10, 1))
    assert not national_day.is_working_day and national_day.name == "国庆节"
    assert national_day.name_en == "National Day"
    make_up = CalendarDay.objects.get(date=date(2026, 2, 28))
    assert make_up.is_working_day and make_up.name == "春节调休上班"
    assert make_up.name_en == "Spring Festival (make-up workday)"


# --- Working days across the holiday weeks --------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Tue before National Day 2025: 10-09, 10-10, Sat 10-11 (make-up), 10-13, 10-14
        (date(2025, 9, 30), 5, date(2025, 10, 14)),
        # Fri 09-26: Sun 09-28 (make-up) counts, then 09-29, 09-30, 10-09, 10-10
        (date(2025, 9, 26), 5, date(2025, 10, 10)),
        (date(2025, 9, 27), 1, date(2025, 9, 28)),  # Sat -> the Sunday make-up day
        # Spring Festival 2025: Fri 01-24, Sun 01-26 (make-up), Mon 01-27, then 02-05...
        (date(2025, 1, 24), 3, date(2025, 2, 5)),
        (date(2025, 2, 4), 4, date(2025, 2, 8)),  # Sat 02-08 is a make-up workday
        # Spring Festival 2026: Fri 02-13, Sat 02-14 (make-up), then 02-24
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        (date(2026, 2, 24), 4, date(2026, 2, 28)),  # 02-25, 26, 27, Sat 28 (make-up)
        # National Day 2026: Mon 09-28: 09-29, 09-30, 10-08, 10-09, Sat 10-10 (make-up)
        (date(2026, 9, 28), 5, date(2026, 10, 10)),
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Fri -> Sun 09-20 (make-up)
        # 60 working days of an investigation accepted just before National Day 2025
        (date(2025, 9, 29), 60, nth_workday_after(date(2025, 9, 29), 60)),
    ],
)
def test_add_working_days_across_holidays(calendar, start, n, expected):
    result = calendar.add_working_days(start, n)
    assert result.day == expected
    assert result.day == nth_workday_after(start, n)
    assert result.provisional is False


def test_zero_working_days_from_a_holiday_is_the_next_working_day(calendar):
    assert calendar.add_working_days(date(2025, 10, 3), 0).day == date(2025, 10, 9)
    assert calendar.add_working_days(date(2025, 10, 9), 0).day == date(2025, 10, 9)
    assert calendar.add_working_days(date(2026, 2, 22), 0).day == date(2026, 2, 24)


def test_working_days_between_counts_make_up_days_and_skips_holidays(calendar):
    # (2025-09-26, 2025-10-14]: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13, 10-14
    assert calendar.working_days_between(date(2025, 9, 26), date(2025, 10, 14)) == 8
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert calendar.working_days_between(date(2026, 10, 7), date(2026, 10, 7)) == 0
    assert calendar.working_days_between(date(2026, 10, 9), date(2026, 10, 1)) == 0


# --- Calendar-day periods: the last day rolls off a rest day --------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 9, 16), 15, date(2025, 10, 9)),  # ends on 10-01: rolls past the holiday
        (date(2025, 9, 26), 15, date(2025, 10, 11)),  # ends on Sat 10-11, a make-up workday
        (date(2026, 2, 1), 15, date(2026, 2, 24)),  # ends on 02-16 (Spring Festival)
        (date(2026, 3, 2), 15, date(2026, 3, 17)),  # an ordinary Tuesday
        (date(2026, 3, 6), 15, date(2026, 3, 23)),  # ends on Sat 03-21: Monday
        (date(2026, 9, 5), 15, date(2026, 9, 20)),  # ends on Sun 09-20, a make-up workday
    ],
)
def test_a_calendar_day_period_ending_on_a_rest_day_ends_on_the_next_working_day(
    calendar, start, n, expected
):
    result = calendar.add_calendar_days(start, n)
    assert result.day == expected
    assert chinese_calendar.is_workday(result.day)
    assert result.provisional is False


# --- Years without data: provisional --------------------------------------------------------


def test_a_deadline_in_2027_is_provisional_monday_to_friday(calendar):
    result = calendar.add_working_days(date(2026, 12, 28), 5)
    # 12-29, 12-30, 12-31, Fri 2027-01-01 (no data: assumed a working day), Mon 01-04
    assert result.day == date(2027, 1, 4)
    assert result.provisional is True
    inside = calendar.add_working_days(date(2026, 12, 21), 5)
    assert inside.day == date(2026, 12, 28) and inside.provisional is False


def test_a_calendar_day_deadline_landing_in_2027_is_provisional(calendar):
    # MEDIATION (15 calendar days) applied for on 2026-12-20 ends on Mon 2027-01-04; whether
    # that is a working day (or part of the New Year holiday) is not published yet.
    result = calendar.add_calendar_days(date(2026, 12, 20), 15)
    assert result.day == date(2027, 1, 4)
    assert result.provisional is True


@pytest.mark.now("2026-12-28T10:00")  # the pages are read the day the case is filed
def test_a_case_whose_acceptance_is_due_in_2027_says_provisional_on_the_staff_page(client):
    org = cover_streets_with_unit_office(make_org())
    case = make_case_on(
        date(2026, 12, 28),
        worker=org.worker,
        street=org.a.street,
        platform=org.platform,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
    )
    deadline = Deadline.objects.get(case=case, rule__key="INSPECTION_ACCEPT")
    assert (deadline.started_on, deadline.due_on) == (date(2026, 12, 28), date(2027, 1, 4))
    assert deadline.provisional

    client.cookies["django_language"] = "en"
    client.force_login(org.a.station_coordinator)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "2027-01-04" in page
    assert "provisional: the official calendar for that year is not published yet" in page

    client.force_login(org.worker)
    worker_page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "2027-01-04" in worker_page and "(provisional)" in worker_page


@pytest.mark.now("2026-09-28T10:00")
def test_a_case_due_within_a_covered_year_is_not_marked_provisional(client):
    org = make_org()
    case = make_case_on(
        date(2026, 9, 28), worker=org.worker, street=org.a.street, platform=org.platform
    )
    deadline = Deadline.objects.get(case=case, rule__key="INSPECTION_ACCEPT")
    assert deadline.due_on == date(2026, 10, 10) and not deadline.provisional
    client.cookies["django_language"] = "en"
    client.force_login(org.a.station_coordinator)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "2026-10-10" in page and "provisional" not in page


def test_an_admin_adds_2027_and_the_same_deadline_is_no_longer_provisional(calendar):
    before = calendar.add_working_days(date(2026, 12, 28), 5)
    assert (before.day, before.provisional) == (date(2027, 1, 4), True)

    CalendarYear.objects.create(year=2027, source="国务院办公厅通知（测试）")
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=date(2027, 1, 1), is_working_day=False, name="元旦"),
            CalendarDay(date=date(2027, 1, 4), is_working_day=False, name="元旦（调休）"),
            CalendarDay(date=date(2027, 1, 9), is_working_day=True, name="元旦 (make-up workday)"),
        ]
    )
    assert load_calendar() is calendar, "cached until forgotten"
    forget_calendar()
    after = load_calendar().add_working_days(date(2026, 12, 28), 5)

    # 12-29, 12-30, 12-31, (01-01 holiday, weekend, 01-04 holiday) 01-05, 01-06
    assert (after.day, after.provisional) == (date(2027, 1, 6), False)
    # and the new make-up Saturday counts
    assert load_calendar().add_working_days(date(2027, 1, 8), 1).day == date(2027, 1, 9)


def test_a_new_clock_started_after_the_admin_adds_2027_is_not_provisional():
    org = make_org()
    CalendarYear.objects.create(year=2027)
    CalendarDay.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    forget_calendar()
    case = make_case_on(
        date(2026, 12, 28), worker=org.worker, street=org.a.street, platform=org.platform
    )
    deadline = Deadline.objects.get(case=case, rule__key="INSPECTION_ACCEPT")
    assert (deadline.due_on, deadline.provisional) == (date(2027, 1, 5), False)


# --- Properties (hypothesis) ----------------------------------------------------------------

DB_PROPERTY = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
covered_days = st.dates(min_value=FIRST, max_value=date(2026, 6, 30))


@DB_PROPERTY
@given(start=covered_days, n=st.integers(min_value=1, max_value=120))
def test_adding_n_working_days_then_counting_back_gives_n(calendar, start, n):
    result = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, result.day) == n
    assert calendar.is_working_day(result.day)
    assert calendar.working_days_between(start, result.day - timedelta(days=1)) == n - 1
    if result.day.year <= 2026:
        assert result.day == nth_workday_after(start, n)
        assert not result.provisional


@DB_PROPERTY
@given(start=covered_days)
def test_zero_working_days_is_the_first_working_day_from_start(calendar, start):
    result = calendar.add_working_days(start, 0).day
    assert calendar.is_working_day(result) and result >= start
    assert all(not calendar.is_working_day(d) for d in days(start, result - timedelta(days=1)))
    # counting back from there gives 0 from a working day, 1 from a rest day
    expected = 0 if calendar.is_working_day(start) else 1
    assert calendar.working_days_between(start, result) == expected


@DB_PROPERTY
@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 11, 30)),
    n=st.integers(min_value=0, max_value=60),
)
def test_calendar_day_periods_end_on_a_working_day_at_or_after_the_plain_end(calendar, start, n):
    result = calendar.add_calendar_days(start, n)
    end = start + timedelta(days=n)
    assert result.day >= end and calendar.is_working_day(result.day)
    assert all(not calendar.is_working_day(d) for d in days(end, result.day - timedelta(days=1)))


@pytest.fixture
def running_deadline():
    """One INSPECTION_INVESTIGATE clock on a case, reused by every hypothesis example."""
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    rule = DeadlineRule.objects.get(key="INSPECTION_INVESTIGATE")
    deadline = Deadline(case=case, rule=rule, length=rule.length, started_on=date(2025, 1, 2))
    recompute(deadline, today=date(2025, 1, 2))
    deadline.save()
    return deadline, org.a.coordinator


@DB_PROPERTY
@given(
    started=covered_days,
    pause_after=st.integers(min_value=0, max_value=40),
    pause_days=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=1, max_value=90),
)
def test_a_paused_interval_moves_the_due_date_by_its_working_days(
    calendar, running_deadline, started, pause_after, pause_days, length
):
    deadline, actor = running_deadline
    deadline.started_on, deadline.length = started, length
    paused_from = started + timedelta(days=pause_after)
    resumed_on = paused_from + timedelta(days=pause_days)
    recompute(deadline, calendar=calendar, today=resumed_on)
    unpaused_due = deadline.due_on

    pause = DeadlinePause.objects.create(
        deadline=deadline,
        started_on=paused_from,
        ended_on=resumed_on,
        reason="等待劳动者补充材料",
        actor=actor,
    )
    try:
        recompute(deadline, calendar=calendar, today=resumed_on)
    finally:
        pause.delete()

    paused_working_days = calendar.working_days_between(paused_from, resumed_on)
    assert calendar.working_days_between(unpaused_due, deadline.due_on) == paused_working_days
    assert deadline.due_on == calendar.add_working_days(unpaused_due, paused_working_days).day
    assert calendar.is_working_day(deadline.due_on)
    assert calendar.working_days_between(deadline.warn_on, deadline.due_on) == (
        deadline.rule.warn_before
    )


@DB_PROPERTY
@given(
    paused_from=st.dates(min_value=date(2025, 1, 2), max_value=date(2026, 6, 30)),
    pause_days=st.integers(min_value=0, max_value=30),
)
def test_an_open_pause_counts_up_to_today(calendar, running_deadline, paused_from, pause_days):
    deadline, actor = running_deadline
    deadline.started_on, deadline.length = date(2025, 1, 2), 60
    today = paused_from + timedelta(days=pause_days)
    base = calendar.add_working_days(date(2025, 1, 2), 60).day
    pause = DeadlinePause.objects.create(
        deadline=deadline, started_on=paused_from, reason="等待", actor=actor
    )
    try:
        recompute(deadline, calendar=calendar, today=today)
    finally:
        pause.delete()
    assert (
        deadline.due_on
        == calendar.add_working_days(base, calendar.working_days_between(paused_from, today)).day
    )
