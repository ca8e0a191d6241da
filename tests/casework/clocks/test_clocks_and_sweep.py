"""Statutory clocks on cases (started and met by the real transitions), pauses, extensions,
the deadline sweep (warn once, escalate once, also when two sweeps run at once) and manual
escalation through the pages.

Unless a test says otherwise it is Monday 12 October 2026, the first week after National Day:
each test files and moves its cases on the days it names (make_case_on, transition_on)."""

import importlib
import io
from datetime import date, timedelta

import chinese_calendar
import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from casework.cases.models import Case
from casework.cases.services.handling import case_assign
from casework.cases.services.transitions import case_transition
from casework.clocks.extensions import deadline_extend, deadline_extension_approve
from casework.clocks.models import Deadline, DeadlineRule, DeadlineStatus
from casework.clocks.selectors import countdown
from casework.clocks.services import case_clocks_pause, case_clocks_resume
from casework.clocks.sweep import sweep_deadlines
from casework.clocks.work_calendar import forget_calendar
from casework.core.errors import ActionRefused
from casework.queues.selectors import QueueFilters, case_queue_for_user
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent
from tests.clock import BEIJING, beijing, frozen_now
from tests.concurrency import run_together
from tests.factories.cases import (
    REASON,
    cover_streets_with_unit_office,
    make_case,
    make_case_on,
    make_case_worker,
    make_org,
    transition_on,
)

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]

SYSTEM = "anxin-system"


@pytest.fixture(autouse=True)
def fresh_calendar():
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture
def org():
    return cover_streets_with_unit_office(make_org())


def nth_workday_after(start: date, n: int) -> date:
    """Oracle from chinese-calendar itself (2004-2026 only)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def clock(case, key) -> Deadline:
    return Deadline.objects.select_related("rule").get(case=case, rule__key=key)


def events(case, kind) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("pk"))


def file_on(org, day, **fields):
    fields.setdefault("period_start", day - timedelta(days=60))
    fields.setdefault("period_end", day - timedelta(days=30))
    return make_case_on(
        day,
        worker=fields.pop("worker", org.worker),
        street=org.a.street,
        platform=org.platform,
        **fields,
    )


def walk(case, steps, actor):
    """Take transitions on given days: [(day, name, inputs), ...]."""
    for day, name, inputs in steps:
        transition_on(day, case, name, actor, **inputs)
    return Case.objects.get(pk=case.pk)


# --- Clocks started and met by the lifecycle ------------------------------------------------


def test_filing_starts_the_five_working_day_acceptance_clock(org):
    # Friday before National Day 2025: Sun 09-28 (make-up), 09-29, 09-30, 10-09, 10-10
    case = file_on(org, date(2025, 9, 26))

    accept = clock(case, "INSPECTION_ACCEPT")
    assert (accept.started_on, accept.length, accept.due_on) == (
        date(2025, 9, 26),
        5,
        date(2025, 10, 10),
    )
    assert accept.status == DeadlineStatus.RUNNING and not accept.provisional
    assert accept.warn_on == date(2025, 10, 9)
    assert list(Deadline.objects.filter(case=case).values_list("rule__key", flat=True)) == [
        "INSPECTION_ACCEPT"
    ]


def test_accepting_meets_the_clock_and_starts_the_60_day_investigation(org):
    case = file_on(org, date(2025, 9, 26))

    walk(case, [(date(2025, 9, 29), "accept", {})], org.a.station_coordinator)

    accept = clock(case, "INSPECTION_ACCEPT")
    assert accept.status == DeadlineStatus.MET and accept.closed_at is not None
    investigate = clock(case, "INSPECTION_INVESTIGATE")
    assert investigate.status == DeadlineStatus.RUNNING
    assert investigate.started_on == date(2025, 9, 29) and investigate.length == 60
    assert investigate.due_on == nth_workday_after(date(2025, 9, 29), 60)
    with translation.override("en"):
        assert countdown(accept).words == "met"


@pytest.mark.parametrize(
    ("accepted_on", "status", "words"),
    [
        (date(2025, 10, 10), DeadlineStatus.MET, "met"),  # on the due date itself
        (date(2025, 10, 11), DeadlineStatus.BREACHED, "met late"),  # the make-up Saturday
        (date(2025, 10, 13), DeadlineStatus.BREACHED, "met late"),
    ],
)
def test_accepting_on_or_after_the_due_date(org, accepted_on, status, words):
    case = file_on(org, date(2025, 9, 26))
    walk(case, [(accepted_on, "accept", {})], org.a.station_coordinator)
    accept = clock(case, "INSPECTION_ACCEPT")
    assert accept.status == status
    with translation.override("en"):
        assert countdown(accept).words == words


def test_asking_the_platform_starts_its_own_response_time(org):
    org.platform.response_working_days = 7
    org.platform.save(update_fields=["response_working_days"])
    case = file_on(org, date(2026, 9, 18))
    steps = [
        (date(2026, 9, 21), "accept", {}),
        (date(2026, 9, 22), "start_verification", {}),
        (date(2026, 9, 28), "request_response", {}),
    ]
    walk(case, steps, org.a.coordinator)

    response = clock(case, "PLATFORM_RESPONSE")
    # 09-29, 09-30, (National Day) 10-08, 10-09, Sat 10-10 (make-up), 10-12, 10-13
    assert (response.length, response.due_on) == (7, date(2026, 10, 13))
    assert response.due_on == nth_workday_after(date(2026, 9, 28), 7)

    walk(
        case,
        [(date(2026, 10, 9), "record_response", {"reason": "平台承诺十日内结清"})],
        org.a.coordinator,
    )
    assert clock(case, "PLATFORM_RESPONSE").status == DeadlineStatus.MET
    assert clock(case, "INSPECTION_INVESTIGATE").status == DeadlineStatus.RUNNING


def test_a_platform_with_the_default_response_time_gets_three_working_days(org):
    case = file_on(org, date(2025, 9, 22))
    walk(
        case,
        [
            (date(2025, 9, 23), "accept", {}),
            (date(2025, 9, 24), "start_verification", {}),
            (date(2025, 9, 29), "request_response", {}),
        ],
        org.a.coordinator,
    )
    response = clock(case, "PLATFORM_RESPONSE")
    assert (response.length, response.due_on) == (3, date(2025, 10, 10))  # 09-30, 10-09, 10-10


def test_mediation_runs_fifteen_calendar_days_and_rolls_off_the_holiday(org):
    case = file_on(org, date(2025, 9, 10))
    walk(
        case,
        [
            (date(2025, 9, 11), "accept", {}),
            (date(2025, 9, 12), "start_verification", {}),
            (date(2025, 9, 16), "start_mediation", {}),
        ],
        org.a.coordinator,
    )
    mediation = clock(case, "MEDIATION")
    # 15 days end on 10-01, National Day: the period ends on the next working day
    assert (mediation.rule.unit, mediation.length) == ("calendar", 15)
    assert mediation.due_on == date(2025, 10, 9)
    # mediation is not the inspection path: its 60 working days no longer apply
    assert clock(case, "INSPECTION_INVESTIGATE").status == DeadlineStatus.CANCELLED

    walk(case, [(date(2025, 9, 30), "reach_agreement", {})], org.a.mediator)
    assert clock(case, "MEDIATION").status == DeadlineStatus.MET
    started = set(
        Deadline.objects.filter(case=case, status=DeadlineStatus.RUNNING).values_list(
            "rule__key", flat=True
        )
    )
    assert {"ARBITRATION_REVIEW", "JUDICIAL_CONFIRMATION"} <= started


def test_after_a_withdrawal_no_clock_runs_and_the_sweep_leaves_the_case_alone(org):
    case = file_on(org, date(2026, 9, 21))
    walk(
        case,
        [
            (date(2026, 9, 22), "accept", {}),
            (date(2026, 9, 23), "start_verification", {}),
            (date(2026, 9, 24), "request_response", {}),
            (date(2026, 9, 25), "withdraw", {"reason": REASON}),
        ],
        org.a.coordinator,
    )
    assert not Deadline.objects.filter(
        case=case, status__in=[DeadlineStatus.RUNNING, DeadlineStatus.PAUSED]
    ).exists()
    report = sweep_deadlines(now=beijing(date(2027, 6, 1)))
    assert (report.warned, report.breached, report.escalated) == (0, 0, 0)
    assert Case.objects.get(pk=case.pk).team == org.a.station


def test_withdrawing_cancels_the_running_clocks(org):
    case = file_on(org, date(2026, 9, 21))
    walk(
        case,
        [
            (date(2026, 9, 22), "accept", {}),
            (date(2026, 9, 23), "start_verification", {}),
            (date(2026, 9, 24), "request_response", {}),
            (date(2026, 9, 25), "withdraw", {"reason": REASON}),
        ],
        org.a.coordinator,
    )
    statuses = dict(Deadline.objects.filter(case=case).values_list("rule__key", "status"))
    assert statuses["INSPECTION_INVESTIGATE"] == DeadlineStatus.CANCELLED
    assert statuses["PLATFORM_RESPONSE"] == DeadlineStatus.CANCELLED


# --- Pause and resume -----------------------------------------------------------------------


def test_pause_and_resume_move_the_due_date_by_the_paused_working_days(org):
    case = file_on(org, date(2025, 9, 26))
    walk(case, [(date(2025, 9, 29), "accept", {})], org.a.coordinator)
    original = clock(case, "INSPECTION_INVESTIGATE").due_on

    with frozen_now(beijing(date(2025, 9, 30))):
        with pytest.raises(ActionRefused):
            case_clocks_pause(actor=org.a.coordinator, case_id=case.pk, reason="  ")
        assert (
            case_clocks_pause(
                actor=org.a.coordinator, case_id=case.pk, reason="等待劳动者补充工资流水"
            )
            == 1
        )
    paused = clock(case, "INSPECTION_INVESTIGATE")
    assert paused.status == DeadlineStatus.PAUSED and paused.due_on == original
    with translation.override("en"):
        assert countdown(paused).words == "paused"
    assert clock(case, "INSPECTION_ACCEPT").status == DeadlineStatus.MET, "closed clocks stay"

    with frozen_now(beijing(date(2025, 10, 10))):
        assert case_clocks_resume(actor=org.a.coordinator, case_id=case.pk) == 1
        with pytest.raises(ActionRefused):
            case_clocks_resume(actor=org.a.coordinator, case_id=case.pk)

    resumed = clock(case, "INSPECTION_INVESTIGATE")
    # paused (09-30, 10-10]: the holiday week adds nothing, 10-09 and 10-10 add two days
    assert resumed.status == DeadlineStatus.RUNNING
    assert resumed.due_on == nth_workday_after(date(2025, 9, 29), 62)
    assert resumed.due_on == nth_workday_after(original, 2)
    assert resumed.pauses.get().ended_on == date(2025, 10, 10)
    assert len(events(case, EventKind.DEADLINE_PAUSED)) == 1
    assert len(events(case, EventKind.DEADLINE_RESUMED)) == 1


def test_a_paused_clock_is_not_warned_or_escalated(org):
    case = file_on(org, date(2026, 9, 28))
    with frozen_now(beijing(date(2026, 9, 29))):
        case_clocks_pause(actor=org.a.station_coordinator, case_id=case.pk, reason="等待材料")
    report = sweep_deadlines(now=beijing(date(2026, 10, 20)))
    assert (report.warned, report.breached, report.escalated) == (0, 0, 0)
    assert Case.objects.get(pk=case.pk).team == org.a.station


# --- Extensions -----------------------------------------------------------------------------


# A case filed on Friday 26 September 2025 and accepted on Monday the 29th, before National Day;
# the extension tests run on Monday 13 October, the first full week after the holiday.
during_the_investigation = pytest.mark.now("2025-10-13")


def accepted_case(org, day=date(2025, 9, 26)):
    case = file_on(org, day)
    walk(case, [(day + timedelta(days=3), "accept", {})], org.a.coordinator)
    return case, clock(case, "INSPECTION_INVESTIGATE")


@during_the_investigation
def test_a_coordinators_extension_waits_for_a_supervisor(org):
    case, investigate = accepted_case(org)
    original = investigate.due_on

    extension = deadline_extend(
        actor=org.a.coordinator, deadline_id=investigate.pk, reason="涉及多家合作商，需调取账目"
    )

    assert extension.approved_by is None and extension.length == 30
    assert clock(case, "INSPECTION_INVESTIGATE").due_on == original
    with pytest.raises(ActionRefused):
        deadline_extension_approve(actor=org.a.coordinator, extension_id=extension.pk)
    assert clock(case, "INSPECTION_INVESTIGATE").due_on == original

    deadline_extension_approve(actor=org.supervisor, extension_id=extension.pk)

    extended = clock(case, "INSPECTION_INVESTIGATE")
    assert extended.due_on == nth_workday_after(date(2025, 9, 29), 90)
    extension.refresh_from_db()
    assert extension.approved_by == org.supervisor
    assert extension.approved_at.astimezone(BEIJING).date() == date(2025, 10, 13)
    with pytest.raises(ActionRefused):
        deadline_extension_approve(actor=org.supervisor, extension_id=extension.pk)
    assert len(events(case, EventKind.DEADLINE_EXTENDED)) == 1


@during_the_investigation
def test_a_supervisors_extension_applies_at_once_and_only_once(org):
    case, investigate = accepted_case(org)

    extension = deadline_extend(
        actor=org.supervisor, deadline_id=investigate.pk, reason="案情复杂，经负责人批准延长"
    )

    assert extension.approved_by == org.supervisor
    assert clock(case, "INSPECTION_INVESTIGATE").due_on == nth_workday_after(date(2025, 9, 29), 90)
    with pytest.raises(ActionRefused):
        deadline_extend(actor=org.supervisor, deadline_id=investigate.pk, reason="再次延长")
    assert investigate.extensions.count() == 1
    assert clock(case, "INSPECTION_INVESTIGATE").due_on == nth_workday_after(date(2025, 9, 29), 90)


@during_the_investigation
def test_rules_without_an_extension_cannot_be_extended(org):
    case = file_on(org, date(2025, 9, 26))
    accept = clock(case, "INSPECTION_ACCEPT")
    with pytest.raises(ActionRefused):
        deadline_extend(actor=org.supervisor, deadline_id=accept.pk, reason="想延长")
    assert not accept.extensions.exists()
    assert clock(case, "INSPECTION_ACCEPT").due_on == date(2025, 10, 10)


@during_the_investigation
def test_an_extension_needs_a_reason_and_a_staff_role(org):
    _case, investigate = accepted_case(org)
    with pytest.raises(ActionRefused):
        deadline_extend(actor=org.a.coordinator, deadline_id=investigate.pk, reason=" ")
    with pytest.raises(ActionRefused):
        deadline_extend(actor=org.a.mediator, deadline_id=investigate.pk, reason="调解员想延长")
    assert not investigate.extensions.exists()


# --- The sweep ------------------------------------------------------------------------------


def test_the_sweep_warns_once_from_the_warning_day(org):
    # due Sat 2026-10-10 (a make-up workday); warned one working day before, on Fri 10-09
    case = file_on(org, date(2026, 9, 28))
    accept = clock(case, "INSPECTION_ACCEPT")
    assert (accept.due_on, accept.warn_on) == (date(2026, 10, 10), date(2026, 10, 9))

    assert sweep_deadlines(now=beijing(date(2026, 10, 8), 23)).warned == 0
    assert events(case, EventKind.DEADLINE_WARNING) == []

    first = sweep_deadlines(now=beijing(date(2026, 10, 9), 8))
    second = sweep_deadlines(now=beijing(date(2026, 10, 9), 17))

    assert (first.warned, second.warned) == (1, 0)
    warnings = events(case, EventKind.DEADLINE_WARNING)
    assert len(warnings) == 1 and "2026-10-10" in warnings[0].headline
    assert warnings[0].actor.username == SYSTEM
    assert clock(case, "INSPECTION_ACCEPT").warned_at == beijing(date(2026, 10, 9), 8)
    assert (first.escalated, first.breached) == (0, 0)
    assert Case.objects.get(pk=case.pk).team == org.a.station


def test_a_clock_is_missed_the_day_after_its_due_date_not_on_it(org):
    case = file_on(org, date(2026, 9, 28))  # due Sat 2026-10-10
    on_the_day = sweep_deadlines(now=beijing(date(2026, 10, 10), 23))
    assert (on_the_day.breached, on_the_day.escalated) == (0, 0)
    assert Case.objects.get(pk=case.pk).team == org.a.station
    next_day = sweep_deadlines(now=beijing(date(2026, 10, 11), 0))
    assert (next_day.breached, next_day.escalated) == (1, 1)


def test_the_sweep_run_twice_escalates_a_breached_case_once(org):
    case = file_on(org, date(2026, 9, 28))
    case_assign(
        actor=org.a.station_coordinator, case_id=case.pk, assignee_id=org.a.station_coordinator.pk
    )
    now = beijing(date(2026, 10, 12))

    first = sweep_deadlines(now=now)
    second = sweep_deadlines(now=now + timedelta(days=1))

    assert (first.breached, first.escalated, first.escalated_cases) == (1, 1, [case.pk])
    assert (second.warned, second.breached, second.escalated) == (0, 0, 0)
    moved = Case.objects.get(pk=case.pk)
    assert moved.team == org.a.coordinators, "tier 3 station -> the street's tier-2 coordinators"
    assert moved.assignee is None
    escalated = events(case, EventKind.ESCALATED)
    assert len(escalated) == 1 and escalated[0].actor.username == SYSTEM
    assert len(events(case, EventKind.DEADLINE_BREACHED)) == 1
    latest = moved.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user.username == SYSTEM
    assert latest.team_id == org.a.coordinators.pk
    assert latest.history_change_reason.startswith("escalated")

    accept = clock(case, "INSPECTION_ACCEPT")
    assert accept.status == DeadlineStatus.RUNNING, "overdue, but still waiting for a decision"
    assert accept.breached_at == now and accept.escalated


def test_a_breached_case_is_in_the_overdue_queue_until_accepted_late(org):
    # Monday 12 October: due on the make-up Saturday before, not accepted yet
    case = file_on(org, date(2026, 9, 28))
    sweep_deadlines(now=beijing(date(2026, 10, 12)))

    overdue = case_queue_for_user(user=org.a.coordinator, filters=QueueFilters(queue="overdue"))
    due_soon = case_queue_for_user(user=org.a.coordinator, filters=QueueFilters(queue="due_soon"))
    assert [c.pk for c in overdue.rows] == [case.pk]
    assert overdue.rows[0].next_due == date(2026, 10, 10)
    assert due_soon.rows == []

    case_transition(actor=org.a.coordinator, case_id=case.pk, name="accept")

    accept = clock(case, "INSPECTION_ACCEPT")
    assert accept.status == DeadlineStatus.BREACHED and accept.closed_at is not None
    with translation.override("en"):
        assert countdown(accept).words == "met late"
    overdue = case_queue_for_user(user=org.a.coordinator, filters=QueueFilters(queue="overdue"))
    assert overdue.rows == []


@pytest.mark.now("2026-10-09")
def test_a_case_due_tomorrow_is_in_the_due_soon_queue(org):
    # Friday 9 October 2026: a case filed on 28 September is due tomorrow, Saturday the 10th,
    # a make-up workday; one filed today is due on Thursday the 15th (Saturday counts).
    case = file_on(org, date(2026, 9, 28))
    later = file_on(org, date(2026, 10, 9), worker=make_case_worker("王师傅"))
    assert clock(case, "INSPECTION_ACCEPT").due_on == date(2026, 10, 10)
    assert clock(later, "INSPECTION_ACCEPT").due_on == date(2026, 10, 15)

    rows = case_queue_for_user(user=org.a.coordinator, filters=QueueFilters(queue="due_soon")).rows
    assert case.pk in [c.pk for c in rows] and later.pk not in [c.pk for c in rows]
    overdue = case_queue_for_user(user=org.a.coordinator, filters=QueueFilters(queue="overdue"))
    assert case.pk not in [c.pk for c in overdue.rows]


def test_two_clocks_missed_together_move_the_case_one_tier_only(org):
    case = file_on(org, date(2026, 9, 18))
    walk(
        case,
        [
            (date(2026, 9, 21), "accept", {}),
            (date(2026, 9, 22), "start_verification", {}),
            (date(2026, 9, 22), "request_response", {}),
        ],
        org.a.coordinator,
    )
    report = sweep_deadlines(now=beijing(date(2027, 2, 1)))
    assert (report.breached, report.escalated) == (2, 1)
    assert Case.objects.get(pk=case.pk).team == org.a.coordinators
    assert len(events(case, EventKind.ESCALATED)) == 1


def test_a_case_at_the_top_tier_is_marked_breached_but_not_moved(org):
    case = file_on(org, date(2026, 9, 28), category="min_wage")
    assert case.team == org.unit_office
    report = sweep_deadlines(now=beijing(date(2026, 10, 12)))
    assert (report.breached, report.escalated) == (1, 0)
    assert Case.objects.get(pk=case.pk).team == org.unit_office
    assert events(case, EventKind.ESCALATED) == []
    assert clock(case, "INSPECTION_ACCEPT").breached_at is not None


def test_a_rule_set_not_to_escalate_only_records_the_breach(org):
    DeadlineRule.objects.filter(key="INSPECTION_ACCEPT").update(escalate_on_breach=False)
    case = file_on(org, date(2026, 9, 28))
    report = sweep_deadlines(now=beijing(date(2026, 10, 12)))
    assert (report.breached, report.escalated) == (1, 0)
    assert Case.objects.get(pk=case.pk).team == org.a.station
    assert len(events(case, EventKind.DEADLINE_BREACHED)) == 1


def test_the_management_command_sweeps_and_prints_the_counts(org):
    # Monday 12 October: due on Saturday the 10th, missed since Sunday
    case = file_on(org, date(2026, 9, 28))
    out = io.StringIO()
    call_command("sweep_deadlines", stdout=out)
    assert "warned 1, missed 1, escalated 1" in out.getvalue()
    assert Case.objects.get(pk=case.pk).team == org.a.coordinators

    again = io.StringIO()
    call_command("sweep_deadlines", stdout=again)
    assert "warned 0, missed 0, escalated 0" in again.getvalue()
    assert len(events(case, EventKind.ESCALATED)) == 1


# --- Two sweeps at once (PostgreSQL: SQLite serialises whole transactions) -----------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL"
)


def reseed():
    """Put the seed data (calendar, deadline and routing rules, system user) back: earlier
    transactional tests flush the database, seed included. The seed is idempotent."""
    module = importlib.import_module("casework.migrations.0006_seed_calendar_rules_routing")
    module.seed(django_apps, None)
    forget_calendar()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_escalate_each_case_once():
    reseed()
    org = cover_streets_with_unit_office(make_org())
    cases = [
        file_on(org, date(2026, 9, 28), worker=make_case_worker(f"骑手{i}")) for i in range(30)
    ]
    now = beijing(date(2026, 10, 12))

    results = run_together([lambda: sweep_deadlines(now=now), lambda: sweep_deadlines(now=now)])

    assert all(ok for ok, _ in results), results
    reports = [report for _, report in results]
    assert sum(r.escalated for r in reports) == 30
    assert sum(r.breached for r in reports) == 30
    assert sum(r.warned for r in reports) == 30
    assert sorted(pk for r in reports for pk in r.escalated_cases) == sorted(c.pk for c in cases)
    for case in cases:
        assert len(events(case, EventKind.ESCALATED)) == 1
        assert len(events(case, EventKind.DEADLINE_BREACHED)) == 1
        assert len(events(case, EventKind.DEADLINE_WARNING)) == 1
    assert set(Case.objects.values_list("team_id", flat=True)) == {org.a.coordinators.pk}


# --- Manual escalation and de-escalation through the pages --------------------------------


def post(client, case, action, reason=""):
    response = client.post(
        reverse("casework:case_clock", args=[case.pk, action]), {"reason": reason}, follow=True
    )
    messages = list(response.context["messages"])
    # successes are checked by level: their wording is the subject of a separate test
    return response, [m.level_tag if m.level_tag == "success" else str(m) for m in messages]


def test_escalating_by_hand_needs_a_reason_and_is_recorded(client, org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    assert case.team == org.a.station
    client.cookies["django_language"] = "en"
    client.force_login(org.a.station_coordinator)

    _response, shown = post(client, case, "escalate", "   ")
    assert shown == ["Please give a reason."]
    assert Case.objects.get(pk=case.pk).team == org.a.station
    assert events(case, EventKind.ESCALATED) == []

    _response, shown = post(client, case, "escalate", "欠薪金额较大，需协调员介入")
    assert shown == ["success"]
    moved = Case.objects.get(pk=case.pk)
    assert moved.team == org.a.coordinators
    (event,) = events(case, EventKind.ESCALATED)
    assert "欠薪金额较大，需协调员介入" in event.reason and event.actor == org.a.station_coordinator
    latest = moved.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == org.a.station_coordinator

    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "欠薪金额较大，需协调员介入" in page


def test_handing_a_case_back_down_needs_a_supervisor(client, org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.cookies["django_language"] = "en"
    client.force_login(org.a.station_coordinator)
    post(client, case, "escalate", "需要协调员介入")

    _response, shown = post(client, case, "deescalate", "协调员认为站点可以处理")
    assert shown == ["Your role does not allow this on this case."]
    assert Case.objects.get(pk=case.pk).team == org.a.coordinators

    client.force_login(org.supervisor)
    _response, shown = post(client, case, "deescalate", "")
    assert shown == ["Please give a reason."]
    _response, shown = post(client, case, "deescalate", "事实清楚，退回站点办理")
    assert shown == ["success"]
    assert Case.objects.get(pk=case.pk).team == org.a.station
    (event,) = events(case, EventKind.DEESCALATED)
    assert "事实清楚，退回站点办理" in event.reason

    _response, shown = post(client, case, "deescalate", "再退一级")
    assert shown == ["This case is already at the lowest tier."]


def test_a_supervisor_escalates_up_to_tier_one_and_no_further(client, org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.cookies["django_language"] = "en"
    client.force_login(org.supervisor)
    post(client, case, "escalate", "升级一")
    post(client, case, "escalate", "升级二")
    assert Case.objects.get(pk=case.pk).team == org.unit_office
    _response, shown = post(client, case, "escalate", "升级三")
    assert shown == ["This case is already at the top tier."]
    assert len(events(case, EventKind.ESCALATED)) == 2


def test_workers_and_other_streets_cannot_escalate(client, org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.cookies["django_language"] = "en"
    client.force_login(org.b.coordinator)
    response = client.post(
        reverse("casework:case_clock", args=[case.pk, "escalate"]), {"reason": "越权"}
    )
    assert response.status_code == 404
    client.force_login(org.worker)
    _response, shown = post(client, case, "escalate", "我要升级")
    assert shown == ["Your role does not allow this on this case."]
    assert Case.objects.get(pk=case.pk).team == org.a.station
    assert events(case, EventKind.ESCALATED) == []


def test_the_confirmation_is_in_the_users_language(client, org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.cookies["django_language"] = "en"
    client.force_login(org.a.station_coordinator)
    response = client.post(
        reverse("casework:case_clock", args=[case.pk, "escalate"]),
        {"reason": "需要协调员介入"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["The case moved one tier up."]


@during_the_investigation
def test_the_case_page_shows_a_requested_extension_with_its_approve_button(client, org):
    case, investigate = accepted_case(org)
    url = reverse("casework:case_detail", args=[case.pk])
    client.force_login(org.supervisor)
    before = client.get(url).content.decode()
    assert reverse("casework:deadline_extend", args=[case.pk, investigate.pk]) in before

    extension = deadline_extend(
        actor=org.a.coordinator, deadline_id=investigate.pk, reason="涉及多家合作商，需调取账目"
    )

    after = client.get(url).content.decode()
    assert "涉及多家合作商，需调取账目" in after
    assert reverse("casework:extension_approve", args=[case.pk, extension.pk]) in after
    assert reverse("casework:deadline_extend", args=[case.pk, investigate.pk]) not in after
