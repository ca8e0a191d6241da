"""Issue 14, clocks, as a new user met them: countdowns in the clock's own unit, clocks that
follow the path a case takes (mediation, reopening), publishing next year's calendar, the
queue's provisional mark, and extensions logged when they happen, decided only by those the
service lets decide."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from casework.cases.lifecycle import STATES, TRANSITIONS
from casework.clocks.extensions import (
    deadline_extend,
    deadline_extension_approve,
    deadline_extension_refuse,
)
from casework.clocks.models import Deadline, DeadlineStatus
from casework.clocks.paths import CARRIED_BY_STATE, MET_BY
from casework.clocks.sweep import sweep_deadlines
from casework.clocks.work_calendar import forget_calendar
from casework.core.errors import ActionRefused
from casework.notifications.models import Notification, NotificationKind
from casework.notifications.rendering import render
from casework.queues.selectors import QueueFilters, case_queue_for_user
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent
from tests.casework.clocks.test_clocks_and_sweep import clock, file_on, walk
from tests.clock import beijing
from tests.factories.cases import REASON, cover_streets_with_unit_office, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture
def org():
    return cover_streets_with_unit_office(make_org())


def page(client, user, case) -> str:
    client.force_login(user)
    return client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()


def clock_line(html: str, key: str) -> str:
    start = html.index(f'data-clock="{key}"')
    return html[start : html.index("</li>", start)]


def queue(client, user, which="all") -> str:
    client.force_login(user)
    return client.get(reverse("casework:queue"), {"queue": which}).content.decode()


def row(html: str, case) -> str:
    start = html.index(f'data-case="{case.pk}"')
    return html[start : html.index("</tr>", start)]


def open_keys(case) -> set[str]:
    return set(
        Deadline.objects.filter(case=case, status__in=["running", "paused"]).values_list(
            "rule__key", flat=True
        )
    )


# --- 1. A clock counts down in its own unit ---------------------------------------------------


def agreed_case(org):
    case = file_on(org, date(2026, 10, 12))
    steps = [
        (date(2026, 10, 13), "accept", {}),
        (date(2026, 10, 14), "start_verification", {}),
        (date(2026, 10, 15), "start_mediation", {}),
        (date(2026, 10, 20), "reach_agreement", {}),
    ]
    return walk(case, steps, org.supervisor)


@pytest.mark.now("2026-10-26")
def test_calendar_day_clocks_count_calendar_days_on_the_case_page_and_in_the_queue(client, org):
    case = agreed_case(org)
    # 30 days from 20 October: 19 November, a Thursday; on Monday 26 October 24 days are left
    assert clock(case, "JUDICIAL_CONFIRMATION").due_on == date(2026, 11, 19)

    html = page(client, org.a.coordinator, case)
    line = clock_line(html, "JUDICIAL_CONFIRMATION")
    assert "剩余 24 天" in line and "工作日" not in line, line
    assert "剩余 9 天" in clock_line(html, "ARBITRATION_REVIEW")  # 15 days: 4 November

    # the queue's due column shows the nearest clock, in its unit too
    assert "剩余 9 天" in row(queue(client, org.a.coordinator), case)


@pytest.mark.now("2026-10-26")
def test_working_day_clocks_still_count_working_days(client, org):
    case = file_on(org, date(2026, 10, 23))  # Friday: 5 working days, due Friday 30 October
    line = clock_line(page(client, org.a.coordinator, case), "INSPECTION_ACCEPT")
    assert "剩余 4 个工作日" in line


@pytest.mark.now("2026-11-23")
def test_an_overdue_calendar_day_clock_says_how_many_days(client, org):
    case = agreed_case(org)  # judicial confirmation was due on Thursday 19 November
    line = clock_line(page(client, org.a.coordinator, case), "JUDICIAL_CONFIRMATION")
    assert "已逾期 4 天" in line, line


# --- 2. Which clocks run follows the path ------------------------------------------------------


def test_the_path_tables_cover_every_state_and_only_real_transitions():
    assert set(CARRIED_BY_STATE) == set(STATES)
    for transitions in MET_BY.values():
        assert transitions <= set(TRANSITIONS), transitions - set(TRANSITIONS)
    for state, facts in STATES.items():
        if not facts.is_open:
            assert not CARRIED_BY_STATE[state], f"a concluded case ({state}) runs no clock"


@pytest.mark.now("2026-10-26")
def test_a_case_that_goes_to_mediation_drops_the_60_working_day_investigation(client, org):
    case = file_on(org, date(2026, 10, 12))
    walk(
        case,
        [
            (date(2026, 10, 13), "accept", {}),
            (date(2026, 10, 14), "start_verification", {}),
            (date(2026, 10, 15), "request_response", {}),
            (date(2026, 10, 16), "start_mediation", {}),
        ],
        org.a.coordinator,
    )

    assert open_keys(case) == {"MEDIATION"}
    assert clock(case, "INSPECTION_INVESTIGATE").status == DeadlineStatus.CANCELLED
    assert clock(case, "PLATFORM_RESPONSE").status == DeadlineStatus.MET
    html = page(client, org.a.coordinator, case)
    line = clock_line(html, "INSPECTION_INVESTIGATE")
    assert "不再适用" in line and "剩余" not in line
    # and the timeline says why
    assert "期限不再适用: 立案调查" in html and "案件现为“调解中”，该期限不适用。" in html


def test_the_investigation_clock_survives_the_employers_answer(org):
    case = file_on(org, date(2026, 10, 12))
    walk(
        case,
        [
            (date(2026, 10, 13), "accept", {}),
            (date(2026, 10, 14), "start_verification", {}),
            (date(2026, 10, 15), "request_response", {}),
            (date(2026, 10, 16), "record_response", {"reason": "平台已回应"}),
        ],
        org.a.coordinator,
    )
    investigate = Deadline.objects.get(case=case, rule__key="INSPECTION_INVESTIGATE")
    assert investigate.status == DeadlineStatus.RUNNING
    assert investigate.started_on == date(2026, 10, 13)


# --- 3. A reopened case ------------------------------------------------------------------------


@pytest.mark.now("2026-11-02")
def test_a_reopened_case_is_investigated_again_on_a_fresh_clock(org):
    case = file_on(org, date(2026, 10, 12))
    steps = [
        (date(2026, 10, 13), "accept", {}),
        (date(2026, 10, 14), "start_verification", {}),
        (date(2026, 10, 15), "resolve", {"waiver": "工人书面放弃申请的金额。"}),
        (date(2026, 10, 16), "close", {}),
    ]
    walk(case, steps, org.supervisor)
    assert open_keys(case) == set()

    walk(case, [(date(2026, 10, 19), "reopen", {"reason": "工人反映仍未到账"})], org.supervisor)

    fresh = Deadline.objects.get(case=case, rule__key="INSPECTION_INVESTIGATE", status="running")
    assert fresh.started_on == date(2026, 10, 19) and fresh.length == 60
    old = Deadline.objects.get(case=case, rule__key="INSPECTION_INVESTIGATE", status="met")
    assert old.started_on == date(2026, 10, 13)


@pytest.mark.now("2026-12-21")
def test_a_reopened_case_is_not_overdue_through_a_clock_of_its_earlier_life(org):
    case = file_on(org, date(2026, 10, 12))
    walk(case, [(date(2026, 10, 13), "decline", {"reason": REASON})], org.supervisor)
    walk(case, [(date(2026, 10, 14), "close", {})], org.supervisor)
    # A clock left open by the case's earlier handling (data from before clocks ended with
    # the case): long overdue.
    stale = clock(case, "INSPECTION_ACCEPT")
    Deadline.objects.filter(pk=stale.pk).update(status="running", closed_at=None)

    walk(case, [(date(2026, 12, 21), "reopen", {"reason": "工人补充了新证据"})], org.supervisor)

    assert clock(case, "INSPECTION_ACCEPT").status == DeadlineStatus.CANCELLED
    overdue = case_queue_for_user(user=org.a.coordinator, filters=QueueFilters(queue="overdue"))
    assert case.pk not in [c.pk for c in overdue.rows]
    assert open_keys(case) == {"INSPECTION_INVESTIGATE"}


# --- Repairing existing cases ------------------------------------------------------------------


@pytest.mark.now("2026-10-26")
def test_the_repair_command_cancels_a_mediation_cases_investigation_with_a_reason(client, org):
    case = file_on(org, date(2026, 10, 12))
    steps = [
        (date(2026, 10, 13), "accept", {}),
        (date(2026, 10, 14), "start_verification", {}),
        (date(2026, 10, 15), "start_mediation", {}),
    ]
    walk(case, steps, org.a.coordinator)
    # as the old code left it: the investigation still running in mediation
    Deadline.objects.filter(case=case, rule__key="INSPECTION_INVESTIGATE").update(
        status="running", closed_at=None
    )

    call_command("repair_clocks", "--dry-run", stdout=io.StringIO())
    assert open_keys(case) == {"INSPECTION_INVESTIGATE", "MEDIATION"}

    cancelled = CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINES_CANCELLED)
    assert cancelled.count() == 1  # when the case went to mediation
    call_command("repair_clocks", stdout=io.StringIO())

    assert open_keys(case) == {"MEDIATION"}
    assert cancelled.count() == 2
    event = cancelled.order_by("pk").last()
    html = page(client, org.a.coordinator, case)
    assert "期限不再适用" in html and "立案调查" in html
    assert "该期限不适用" in html
    assert event.actor.username == "anxin-system"
    out = io.StringIO()
    call_command("repair_clocks", stdout=out)
    assert "0" in out.getvalue().splitlines()[-1]


# --- 4. Publishing next year's calendar --------------------------------------------------------


@pytest.mark.now("2026-12-07")
def test_publishing_a_year_in_the_admin_recomputes_its_open_clocks(client, org):
    case = file_on(org, date(2026, 12, 4))
    walk(case, [(date(2026, 12, 7), "accept", {})], org.a.coordinator)
    before = clock(case, "INSPECTION_INVESTIGATE")
    assert before.provisional and before.due_on.year == 2027

    client.force_login(org.admin)
    for day in range(8, 13):  # a week of holidays in February 2027
        response = client.post(
            reverse("admin:casework_calendarday_add"),
            {"date": f"2027-02-{day:02d}", "is_working_day": "", "name": "春节"},
        )
        assert response.status_code == 302
    assert clock(case, "INSPECTION_INVESTIGATE").provisional  # the year is not published yet
    response = client.post(
        reverse("admin:casework_calendaryear_add"), {"year": "2027", "source": "国务院办公厅"}
    )
    assert response.status_code == 302

    after = clock(case, "INSPECTION_INVESTIGATE")
    assert not after.provisional
    assert after.due_on > before.due_on  # five holidays later
    html = page(client, org.a.coordinator, case)
    assert "已按 2027 年官方日历重新计算期限" in html
    assert f"{before.due_on:%Y-%m-%d} → {after.due_on:%Y-%m-%d}" in html
    assert "暂定" not in clock_line(html, "INSPECTION_INVESTIGATE")


# --- 5. The queue marks provisional dates as the case page does ---------------------------------


@pytest.mark.now("2026-12-28")
def test_the_queue_marks_a_date_in_an_unpublished_year_as_provisional(client, org):
    case = file_on(org, date(2026, 12, 28))  # due in January 2027: no official calendar yet
    assert clock(case, "INSPECTION_ACCEPT").provisional

    cells = row(queue(client, org.a.coordinator), case)
    line = clock_line(page(client, org.a.coordinator, case), "INSPECTION_ACCEPT")
    assert 'class="provisional"' in cells and "暂定" in cells
    assert 'class="provisional"' in line


# --- 6 and 7. Extensions: logged when they happen, decided by those allowed --------------------


def investigated_case(org):
    case = file_on(org, date(2025, 9, 26))
    walk(case, [(date(2025, 9, 29), "accept", {})], org.a.coordinator)
    return case, clock(case, "INSPECTION_INVESTIGATE")


@pytest.mark.now("2025-10-13")
def test_an_extension_is_logged_as_requested_then_as_extended_at_the_approval(client, org):
    case, investigate = investigated_case(org)

    extension = deadline_extend(
        actor=org.a.coordinator, deadline_id=investigate.pk, reason="涉及多家合作商，需调取账目"
    )

    html = page(client, org.supervisor, case)
    assert "已申请延长期限" in html and "涉及多家合作商，需调取账目" in html
    assert "期限已延长" not in html
    requested = CaseEvent.objects.get(case=case, kind=EventKind.EXTENSION_REQUESTED)
    assert requested.actor == org.a.coordinator

    deadline_extension_approve(actor=org.supervisor, extension_id=extension.pk)

    extended = CaseEvent.objects.get(case=case, kind=EventKind.DEADLINE_EXTENDED)
    assert extended.actor == org.supervisor and extended.reason == "涉及多家合作商，需调取账目"
    html = page(client, org.supervisor, case)
    assert "期限已延长" in html and "30 个工作日" in html


@pytest.mark.now("2025-10-13")
def test_a_refusal_is_logged_with_who_and_why_and_the_due_date_stays(client, org):
    case, investigate = investigated_case(org)
    extension = deadline_extend(actor=org.a.coordinator, deadline_id=investigate.pk, reason="忙")
    with pytest.raises(ActionRefused):
        deadline_extension_refuse(actor=org.supervisor, extension_id=extension.pk, reason=" ")

    deadline_extension_refuse(
        actor=org.supervisor, extension_id=extension.pk, reason="理由不足，请先调取账目"
    )

    assert clock(case, "INSPECTION_INVESTIGATE").due_on == investigate.due_on
    refused = CaseEvent.objects.get(case=case, kind=EventKind.EXTENSION_REFUSED)
    assert refused.actor == org.supervisor
    html = page(client, org.a.coordinator, case)
    assert "延长期限申请未获批准" in html and "理由不足，请先调取账目" in html
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_EXTENDED).exists()
    # a better-argued request may follow
    assert "申请延期" in clock_line(html, "INSPECTION_INVESTIGATE")
    deadline_extend(actor=org.a.coordinator, deadline_id=investigate.pk, reason="已调取账目")


@pytest.mark.now("2025-10-13")
def test_a_coordinator_sees_no_approve_button_and_a_forged_post_is_refused(client, org):
    case, investigate = investigated_case(org)
    extension = deadline_extend(actor=org.a.coordinator, deadline_id=investigate.pk, reason="忙")
    approve = reverse("casework:extension_approve", args=[case.pk, extension.pk])
    refuse = reverse("casework:extension_refuse", args=[case.pk, extension.pk])

    html = page(client, org.a.coordinator, case)
    assert approve not in html and refuse not in html
    assert approve in page(client, org.supervisor, case)

    client.force_login(org.a.coordinator)
    response = client.post(approve, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["只有负责该案件的督导才能审批延期。"]
    client.post(refuse, {"reason": "伪造"})
    extension.refresh_from_db()
    assert extension.approved_at is None and extension.refused_at is None
    assert clock(case, "INSPECTION_INVESTIGATE").due_on == investigate.due_on


@pytest.mark.now("2026-11-02")
def test_a_warning_notification_counts_in_the_clocks_unit(org):
    agreed_case(org)  # arbitration review: 15 days from 20 October, due Wednesday 4 November

    sweep_deadlines(now=beijing(date(2026, 11, 2), 8))

    warning = Notification.objects.filter(kind=NotificationKind.DEADLINE_WARNING).first()
    assert warning is not None, "the team was not warned"
    with translation.override("zh-hans"):
        text = render(warning)
    assert "2026-11-04" in text and "剩余 2 天" in text and "工作日）" not in text, text
