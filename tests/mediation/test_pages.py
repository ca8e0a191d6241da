"""The mediation page over HTTP: forms, refusals, 404s and query counts."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.cases.choices import CaseState
from casework.cases.models import Case
from mediation.models import Agreement, MediationSession
from mediation.services.agreements import agreement_void
from tests.factories.cases import make_case, put_case_in_state
from tests.mediation.conftest import TODAY, hold, schedule

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(case_id):
    return reverse("mediation:page", args=["case", case_id])


def test_a_mediator_schedules_from_the_page(org, verifying_case):
    client = _client(org.a.mediator)
    when = "2026-04-16T10:00"  # Thursday
    response = client.post(
        reverse("mediation:schedule", args=["case", verifying_case.pk]),
        {
            "scheduled_at": when,
            "place": "东城街道调解室",
            "mediator": org.a.mediator.pk,
            "other_invitees": "赵律师, 某律师事务所",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=verifying_case.pk).state == CaseState.MEDIATING
    session = MediationSession.objects.get(case=verifying_case)
    assert session.participants.filter(name="赵律师", organisation="某律师事务所").exists()
    page = client.get(_page(verifying_case.pk)).content.decode()
    assert "东城街道调解室" in page and "赵律师" in page


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"scheduled_at": "tomorrow", "place": "x", "mediator": "1"},
        {"scheduled_at": "2026-04-20T10:00", "place": "", "online_link": ""},
        {"scheduled_at": "2026-04-20T10:00", "place": "x", "mediator": "999999"},
        {"scheduled_at": "2026-04-20T10:00", "online_link": "javascript:alert(1)", "mediator": "1"},
    ],
)
def test_bad_schedule_input_is_answered_with_messages_and_changes_nothing(
    org, verifying_case, form
):
    response = _client(org.a.mediator).post(
        reverse("mediation:schedule", args=["case", verifying_case.pk]), form
    )
    assert response.status_code == 400
    assert "field-errors" in response.content.decode()
    assert not MediationSession.objects.exists()
    assert Case.objects.get(pk=verifying_case.pk).state == CaseState.VERIFYING


def test_forged_ids_answer_404(org, verifying_case):
    other = make_case(worker=org.other_worker, street=org.b.street, platform=org.platform)
    client = _client(org.a.mediator)
    assert client.get(_page(other.pk)).status_code == 404
    assert (
        client.get(reverse("mediation:page", args=["planet", verifying_case.pk])).status_code == 404
    )
    assert client.get(reverse("mediation:page", args=["group", 999999])).status_code == 404
    assert client.post(reverse("mediation:record", args=[999999])).status_code == 404
    assert client.post(reverse("mediation:sign", args=[999999])).status_code == 404
    # the worker of the case is not staff: the staff page is not theirs
    assert _client(org.worker).get(_page(verifying_case.pk)).status_code == 404


def test_a_bad_agreement_form_keeps_the_input_and_says_why(org, verifying_case):
    hold(org, verifying_case)
    response = _client(org.a.mediator).post(
        reverse("mediation:draw_up_agreement", args=["case", verifying_case.pk]),
        {
            "facts": "欠薪三千元。",
            "employer_signatory": "王经理",
            "payment_method": "bank",
            "performance_deadline": "2026-05-13",
            f"amount_{verifying_case.pk}": "-100",
            "due_1": "2026-04-18",
            "share_1": "100",
        },
    )
    assert response.status_code == 400
    assert "欠薪三千元。" in response.content.decode()
    assert not Agreement.objects.exists()

    shares = _client(org.a.mediator).post(
        reverse("mediation:draw_up_agreement", args=["case", verifying_case.pk]),
        {
            "facts": "欠薪三千元。",
            "employer_signatory": "王经理",
            "payment_method": "bank",
            "performance_deadline": "2026-05-13",
            f"amount_{verifying_case.pk}": "3000",
            "due_1": "2026-04-18",
            "share_1": "60",
        },
    )
    assert shares.status_code == 400
    assert not Agreement.objects.exists()


def test_the_page_costs_the_same_queries_for_one_session_or_several(
    org, verifying_case, django_assert_max_num_queries
):
    client = _client(org.a.mediator)
    schedule(org, verifying_case)
    client.get(_page(verifying_case.pk))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(_page(verifying_case.pk))
    for day in range(2, 6):
        schedule(org, verifying_case, scheduled_at=timezone.now() + timedelta(days=day))
    with CaptureQueriesContext(connection) as five:
        assert client.get(_page(verifying_case.pk)).status_code == 200
    assert len(five) == len(one)
    assert len(one) <= 25


def test_a_group_is_mediated_in_one_session(org):
    from casework.groups.services import group_add_cases

    cases = [
        put_case_in_state(
            make_case(worker=w, street=org.a.street, platform=org.platform),
            CaseState.VERIFYING,
            org.supervisor,
        )
        for w in (org.worker, org.other_worker)
    ]
    group = group_add_cases(actor=org.a.coordinator, case_ids=[c.pk for c in cases])
    from mediation.services.sessions import SessionPlan, session_schedule

    session = session_schedule(
        actor=org.a.mediator,
        plan=SessionPlan(
            scheduled_at=timezone.now() + timedelta(days=1),
            mediator=org.a.mediator,
            place="街道会议室",
        ),
        group_id=group.pk,
    )
    assert session.participants.filter(side="worker").count() == 2
    assert set(Case.objects.filter(group=group).values_list("state", flat=True)) == {
        CaseState.MEDIATING
    }
    hold(org, None, group=group)
    page = _client(org.a.mediator).get(reverse("mediation:page", args=["group", group.pk]))
    assert page.status_code == 200
    assert all(f"amount_{c.pk}" in page.content.decode() for c in cases)


def test_void_and_minutes_each_read_as_meant_in_chinese(org, verifying_case, agreement):
    # "Void" is a button (作废) and a state (已作废); "minutes" a session's record (会议纪要).
    client = _client(org.a.mediator)
    page = client.get(_page(verifying_case.pk)).content.decode()
    assert ">作废</button>" in page, "the void button should say what it does"
    agreement_void(actor=org.a.mediator, agreement_id=agreement.pk, reason="条款需重新协商")
    page = client.get(_page(verifying_case.pk)).content.decode()
    assert '<span class="state">已作废</span>' in page, "a voided agreement should read as one"
    assert str(MediationSession._meta.get_field("minutes").verbose_name) == "会议纪要"
