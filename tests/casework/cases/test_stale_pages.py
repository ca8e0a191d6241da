"""Every form of the staff case page carries what the page showed of the case (`seen`): one
posted from a stale page is refused with words that say what changed, and changes nothing.
Two coordinators, one page each, as the user met it (issue 14)."""

import pytest
from django.test import Client
from django.urls import reverse

from casework.cases.models import Case, CaseNote, SeenCase
from casework.cases.services.transitions import case_transition
from casework.clocks.escalation import case_escalate
from casework.clocks.models import Deadline, DeadlineStatus
from tests.factories.cases import cover_streets_with_unit_office, make_case, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12", hour=10)]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def seen_on_page(client, case) -> str:
    """The `seen` value the case page puts in its forms, read from the page itself."""
    page = client.get(reverse("casework:case_detail", args=[case.pk]))
    token = page.context["seen"]
    assert f'name="seen" value="{token}"' in page.content.decode()
    return token


@pytest.fixture
def org():
    return cover_streets_with_unit_office(make_org())


def test_a_note_written_before_someone_declined_the_case_is_refused_and_kept_in_the_box(org):
    case = make_case(worker=org.worker, street=org.a.street)
    first, second = signed_in(org.a.station_coordinator), signed_in(org.a.coordinator)
    stale = seen_on_page(second, case)
    first.post(
        reverse("casework:case_transition", args=[case.pk, "decline"]),
        {"expected_state": "submitted", "reason": "不属于本站受理范围"},
    )

    refused = second.post(
        reverse("casework:case_note", args=[case.pk]),
        {"body": "已电话联系企业，明天上午回复", "is_public": "on", "seen": stale},
    )

    assert not CaseNote.objects.filter(case=case).exists()
    assert said(refused) == [
        "您查看期间，本案已被他人修改，当前状态为“不予受理”。",
        "您的备注未添加，仍保留在下方的输入框中。",
    ]
    page = refused.content.decode()
    assert "已电话联系企业，明天上午回复</textarea>" in page
    assert f'name="seen" value="{SeenCase.token_for(Case.objects.get(pk=case.pk))}"' in page

    again = second.post(
        reverse("casework:case_note", args=[case.pk]),
        {"body": "已电话联系企业，明天上午回复", "seen": refused.context["seen"]},
    )
    assert again.status_code == 302 and CaseNote.objects.filter(case=case).count() == 1


def test_a_note_is_not_refused_because_someone_claimed_the_case(org):
    """A new assignee does not make a note wrong: only a change of state refuses it."""
    case = make_case(worker=org.worker, street=org.a.street)
    second = signed_in(org.a.coordinator)
    stale = seen_on_page(second, case)
    signed_in(org.a.station_coordinator).post(
        reverse("casework:case_assign", args=[case.pk]), {"claim": "1"}
    )
    second.post(reverse("casework:case_note", args=[case.pk]), {"body": "补充", "seen": stale})
    assert CaseNote.objects.filter(case=case, body="补充").exists()


def test_a_second_escalation_from_the_same_page_is_refused_and_names_the_new_team(org):
    """Two coordinators click "escalate" on the same page: the case goes up one tier, not
    two; the second is told where it went."""
    case = make_case(worker=org.worker, street=org.a.street)
    first, second = signed_in(org.a.station_coordinator), signed_in(org.a.coordinator)
    stale = seen_on_page(second, case)
    seen_on_page(first, case)
    url = reverse("casework:case_clock", args=[case.pk, "escalate"])
    first.post(url, {"reason": "需要街道协调", "seen": stale})
    moved_to = Case.objects.get(pk=case.pk).team

    refused = second.post(url, {"reason": "需要街道协调", "seen": stale}, follow=True)

    assert Case.objects.get(pk=case.pk).team == moved_to != org.unit_office
    assert said(refused) == [
        f"您查看期间，本案已移交至{moved_to.name}。未作任何更改，请核对后再操作。"
    ]


def test_pausing_the_clocks_of_a_case_that_was_resolved_meanwhile_is_refused(org):
    case = make_case(worker=org.worker, street=org.a.street)
    for name in ("accept", "start_verification"):
        case_transition(actor=org.supervisor, case_id=case.pk, name=name)
    client = signed_in(org.a.coordinator)
    stale = seen_on_page(client, case)
    case_transition(actor=org.supervisor, case_id=case.pk, name="withdraw", reason="已私下和解")

    refused = client.post(
        reverse("casework:case_clock", args=[case.pk, "pause"]),
        {"reason": "等待材料", "seen": stale},
        follow=True,
    )
    assert said(refused) == ["您查看期间，本案已被他人修改，当前状态为“已撤回”。"]
    assert not Deadline.objects.filter(case=case, status=DeadlineStatus.PAUSED).exists()


def test_clock_forms_from_a_current_page_still_work(org):
    case = make_case(worker=org.worker, street=org.a.street)
    client = signed_in(org.a.coordinator)
    done = client.post(
        reverse("casework:case_clock", args=[case.pk, "pause"]),
        {"reason": "等待材料", "seen": seen_on_page(client, case)},
        follow=True,
    )
    assert said(done) == ["已暂停计时。"]


def test_an_assignment_from_a_page_of_the_old_team_is_refused(org):
    case = make_case(worker=org.worker, street=org.a.street)
    client = signed_in(org.supervisor)
    stale = seen_on_page(client, case)
    case_escalate(actor=org.a.station_coordinator, case_id=case.pk, reason="需要街道协调")
    refused = client.post(
        reverse("casework:case_assign", args=[case.pk]),
        {"assignee": org.a.coordinator.pk, "seen": stale},
        follow=True,
    )
    case = Case.objects.get(pk=case.pk)
    assert case.assignee is None
    assert said(refused) == [
        f"您查看期间，本案已移交至{case.team.name}。未作任何更改，请核对后再操作。"
    ]


@pytest.mark.parametrize("forged", ["x", "submitted.0", "submitted.a.1", "。。", "1" * 200])
def test_a_malformed_seen_value_changes_nothing(org, forged):
    case = make_case(worker=org.worker, street=org.a.street)
    response = signed_in(org.a.coordinator).post(
        reverse("casework:case_note", args=[case.pk]), {"body": "补充", "seen": forged}
    )
    assert response.status_code in (200, 302)
    assert not CaseNote.objects.filter(case=case).exists()


def test_the_actions_panel_shows_the_case_as_it_is_now_to_staff_only(org):
    case = make_case(worker=org.worker, street=org.a.street)
    url = reverse("casework:case_actions_panel", args=[case.pk])
    staff = signed_in(org.a.coordinator)
    before = staff.get(url).content.decode()
    assert "已提交" in before and "确认：受理" in before
    case_transition(actor=org.supervisor, case_id=case.pk, name="accept")
    after = staff.get(url).content.decode()
    assert "已受理" in after and "确认：受理" not in after and "确认：开始核查" in after
    assert 'id="case-state"' in after and 'id="case-actions"' in after
    assert signed_in(org.worker).get(url).status_code == 404
    assert signed_in(org.b.coordinator).get(url).status_code == 404
