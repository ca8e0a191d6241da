"""Moves between tiers as a user meets them: a hand-back returns a case to the team it was
escalated from, in hand-back words; the case page shows the latest move and its reason in the
reader's language, while the timeline keeps every move."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from casework.cases.models import Case
from casework.clocks.sweep import sweep_deadlines
from casework.groups.services import group_add_cases
from casework.notifications.models import Notification, NotificationKind
from casework.notifications.rendering import render
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent
from tests.clock import beijing
from tests.factories.cases import (
    cover_streets_with_unit_office,
    make_case,
    make_case_on,
    make_case_worker,
    make_org,
)

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]


@pytest.fixture
def org():
    org = cover_streets_with_unit_office(make_org())
    for team, name in [
        (org.a.station, "东城服务站"),
        (org.a.coordinators, "东城协调员队伍"),
        (org.a.mediators, "东城调解员队伍"),
        (org.unit_office, "区劳动关系科"),
    ]:
        team.name = name
        team.save(update_fields=["name"])
    return org


def move(client, user, case, action, reason):
    client.force_login(user)
    response = client.post(
        reverse("casework:case_clock", args=[case.pk, action]), {"reason": reason}, follow=True
    )
    assert response.status_code == 200
    return Case.objects.select_related("team").get(pk=case.pk)


def case_page(client, user, case, language="zh-hans") -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()


def test_a_case_escalated_from_the_mediators_is_handed_back_to_the_mediators(client, org):
    # Given a fine complaint, which goes to the street's mediators, escalated to tier 1
    case = make_case(worker=org.worker, street=org.a.street, category="fine_deduction")
    assert case.team == org.a.mediators
    case = move(client, org.supervisor, case, "escalate", "涉及多家企业，需区里协调")
    assert case.team == org.unit_office

    # When the supervisor hands it back
    case = move(client, org.supervisor, case, "deescalate", "已协调完毕，请调解员继续调解")

    # Then it is with the mediators again, not the coordinators or the station
    assert case.team == org.a.mediators, f"handed back to {case.team.name}"
    # and the mediators are told in hand-back words, with the reason
    (notice,) = Notification.objects.filter(recipient=org.a.mediator, case=case).exclude(
        kind=NotificationKind.NEW_CASE
    )
    with translation.override("zh-hans"):
        text = render(notice)
    assert "已退回至东城调解员队伍" in text and "已协调完毕，请调解员继续调解" in text, text
    assert "上报" not in text, f"a hand-back read as an escalation: {text}"
    # and nobody at the coordinators' team heard of it
    assert not Notification.objects.filter(recipient=org.a.coordinator, case=case).exists()
    (back,) = CaseEvent.objects.filter(case=case, kind=EventKind.DEESCALATED)
    assert back.params["team"] == "东城调解员队伍"


def test_two_escalations_are_handed_back_one_tier_at_a_time(client, org):
    case = make_case(worker=org.worker, street=org.a.street)
    assert case.team == org.a.station
    move(client, org.a.station_coordinator, case, "escalate", "需要协调员介入")
    case = move(client, org.supervisor, case, "escalate", "需要区里处理")
    assert case.team == org.unit_office

    case = move(client, org.supervisor, case, "deescalate", "退回协调员")
    assert case.team == org.a.coordinators
    case = move(client, org.supervisor, case, "deescalate", "退回站点")
    assert case.team == org.a.station
    client.force_login(org.supervisor)
    response = client.post(
        reverse("casework:case_clock", args=[case.pk, "deescalate"]),
        {"reason": "再退"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["本案已在最低一级。"]
    assert Case.objects.get(pk=case.pk).team == org.a.station


def test_the_case_page_shows_the_latest_move_and_the_timeline_keeps_every_move(client, org):
    case = make_case(worker=org.worker, street=org.a.street)
    routed = case_page(client, org.supervisor, case)
    rule_reason = Case.objects.get(pk=case.pk).routing_reason_text
    assert rule_reason and rule_reason in routed

    move(client, org.a.station_coordinator, case, "escalate", "欠薪金额较大")
    page = case_page(client, org.a.coordinator, case)
    assert "已上报至东城协调员队伍：欠薪金额较大" in page
    assert rule_reason not in page, "the page still gave the first routing as the reason"

    move(client, org.supervisor, case, "deescalate", "站点可以处理")
    page = case_page(client, org.a.station_coordinator, case)
    assert "已退回至东城服务站：站点可以处理" in page
    # the timeline keeps both moves
    assert "已上报至东城协调员队伍" in page and "已退回东城服务站" in page

    # an English reader reads the same move in English
    page = case_page(client, org.a.station_coordinator, case, language="en")
    assert "Handed back to 东城服务站: 站点可以处理" in page


def test_a_collective_move_is_the_reason_shown_for_the_team(client, org, settings):
    settings.ANXIN_COLLECTIVE_THRESHOLD = 3
    cases = [
        make_case(worker=make_case_worker(f"骑手{i}"), street=org.a.street, platform=org.platform)
        for i in range(3)
    ]
    group_add_cases(actor=org.a.coordinator, case_ids=[c.pk for c in cases])
    moved = Case.objects.select_related("team").get(pk=cases[0].pk)
    assert moved.team == org.unit_office
    page = case_page(client, org.supervisor, moved)
    assert f"集体案件：3 名劳动者投诉{org.platform.name}" in page
    page = case_page(client, org.supervisor, moved, language="en")
    assert f"Collective case: 3 workers against {org.platform.name}" in page


def test_an_escalation_by_the_sweep_is_the_reason_shown_for_the_team(client, org):
    case = make_case_on(date(2026, 9, 28), worker=org.worker, street=org.a.street)
    report = sweep_deadlines(now=beijing(date(2026, 10, 20)))
    assert case.pk in report.escalated_cases
    moved = Case.objects.get(pk=case.pk)
    assert moved.team == org.a.coordinators
    page = case_page(client, org.a.coordinator, moved)
    assert "已上报至东城协调员队伍：期限已逾期：" in page, "the page still gave the first routing"
    # and a hand-back returns it to the station it came from
    moved = move(client, org.supervisor, moved, "deescalate", "站点补办")
    assert moved.team == org.a.station
