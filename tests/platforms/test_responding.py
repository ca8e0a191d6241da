"""A representative answers a complaint the bureau put to their company: on the portal, before
or after the deadline; the coordinator and the worker are told; other companies get 404."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image

from casework.cases.choices import CaseState
from casework.cases.models import Case, Evidence
from casework.clocks.models import Deadline
from casework.core.errors import ActionRefused, CaseChanged, CaseNotFound
from casework.intake.services import PartyInput
from casework.notifications.models import Notification, NotificationKind
from casework.timeline.models import CaseEvent
from platforms.choices import CompanyKind
from platforms.models import EmployerQuestion, EmployerResponse, Representative
from platforms.responses.services import response_submit
from tests.clock import beijing, frozen_now
from tests.concurrency import run_together
from tests.factories.cases import make_case, make_org, make_platform, put_case_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07", hour=10)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


@pytest.fixture
def org():
    return make_org()


def _awaiting(org, *, consent=False):
    case = make_case(
        worker=org.worker,
        street=org.a.street,
        parties=[
            PartyInput(kind=CompanyKind.PLATFORM, company=org.platform),
            PartyInput(kind=CompanyKind.OPERATOR, company=org.operator),
        ],
        consent_to_share=consent,
        amount_claimed=Decimal("3260.00"),
    )
    return put_case_in_state(case, CaseState.AWAITING_RESPONSE, org.supervisor)


def _response_clock(case):
    return Deadline.objects.filter(case=case, rule__key="PLATFORM_RESPONSE").latest("pk")


def test_accepting_on_the_portal_moves_the_case_and_tells_coordinator_and_worker(
    client, org, sms_outbox, django_capture_on_commit_callbacks
):
    case = _awaiting(org)
    client.force_login(org.representative)
    page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "Send our answer" in page or "提交我方回应" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:respond", args=[case.pk]),
            {"kind": "accept", "amount": "3260.00", "pay_by": "2026-12-20"},
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.VERIFYING
    answer = EmployerResponse.objects.get(case=case)
    assert (answer.company, answer.responded_by, answer.amount) == (
        org.platform,
        org.representative,
        Decimal("3260.00"),
    )
    assert answer.is_late is False and answer.pay_by == date(2026, 12, 20)
    assert _response_clock(case).status == "met"
    told = Notification.objects.filter(kind=NotificationKind.EMPLOYER_RESPONDED, case=case)
    assert org.worker in [n.recipient for n in told]
    assert len(told) >= 2  # the worker and the bureau's side
    texts = [message.body for message in sms_outbox if message.to == org.worker.mobile]
    assert any("¥3,260.00" in text and "2026-12-20" in text for text in texts)
    page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "¥3,260.00" in page
    # The worker reads it on their case page in plain words.
    client.force_login(org.worker)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "¥3,260.00" in page and "2026-12-20" in page


def test_a_late_answer_is_accepted_and_marked_late(client, org):
    case = _awaiting(org)
    due = _response_clock(case).due_on
    with frozen_now(beijing(date(due.year, due.month, due.day + 3), 11)):
        client.force_login(org.representative)
        client.post(
            reverse("portal:respond", args=[case.pk]),
            {"kind": "dispute", "reasons": "该骑手系众包，非我司员工。"},
        )
    answer = EmployerResponse.objects.get(case=case)
    assert answer.is_late and answer.kind == "dispute"
    assert _response_clock(case).status == "breached"  # met late
    client.force_login(org.a.coordinator)
    page = client.get(reverse("responses:case", args=[case.pk])).content.decode()
    assert "该骑手系众包" in page


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"kind": "dispute", "reasons": ""}, "reasons"),
        ({"kind": "accept", "amount": "-5", "pay_by": "2026-12-20"}, "amount"),
        ({"kind": "accept", "amount": "12.345", "pay_by": "2026-12-20"}, "amount"),
        ({"kind": "accept", "amount": "1e12", "pay_by": "2026-12-20"}, "amount"),
        ({"kind": "accept", "amount": "abc", "pay_by": "2026-12-20"}, "amount"),
        ({"kind": "accept", "amount": "100", "pay_by": "2026-12-01"}, "pay_by"),
        ({"kind": "accept", "amount": "100", "pay_by": "9999-12-31"}, "pay_by"),
        ({"kind": "plan", "plan_date_1": "2026-12-20", "plan_amount_1": "100"}, "instalments"),
        ({"kind": "refund", "amount": "100"}, "kind"),
        ({"kind": "dispute", "reasons": "坏\x07字符"}, "reasons"),
    ],
)
def test_bad_answers_are_refused_with_a_message_and_change_nothing(client, org, data, field_error):
    case = _awaiting(org)
    client.force_login(org.representative)
    response = client.post(reverse("portal:respond", args=[case.pk]), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_RESPONSE
    assert not EmployerResponse.objects.exists()


def test_a_payment_plan_is_recorded_with_its_instalments(client, org):
    case = _awaiting(org)
    client.force_login(org.representative)
    client.post(
        reverse("portal:respond", args=[case.pk]),
        {
            "kind": "plan",
            "plan_date_1": "2026-12-20",
            "plan_amount_1": "1000.00",
            "plan_date_2": "2027-01-20",
            "plan_amount_2": "2260.00",
        },
    )
    answer = EmployerResponse.objects.get(case=case)
    assert answer.amount == Decimal("3260.00") and answer.pay_by == date(2027, 1, 20)
    assert [(i.due_on, i.amount) for i in answer.instalments.all()] == [
        (date(2026, 12, 20), Decimal("1000.00")),
        (date(2027, 1, 20), Decimal("2260.00")),
    ]


def test_another_platform_cannot_answer_ask_or_add_files(client, org):
    case = _awaiting(org)
    rival = get_user_model().objects.create_user(username="rival", password="x" * 12)
    Representative.objects.create(user=rival, company=make_platform("闪送急送平台"))
    client.force_login(rival)
    answer = {"kind": "accept", "amount": "10", "pay_by": "2026-12-20"}
    assert client.post(reverse("portal:respond", args=[case.pk]), answer).status_code == 404
    assert client.post(reverse("portal:ask", args=[case.pk]), {"question": "?"}).status_code == 404
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    files = client.post(reverse("portal:add_evidence", args=[case.pk]), {"files": [upload]})
    assert files.status_code == 404
    assert client.get(reverse("responses:case", args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_RESPONSE
    assert not EmployerResponse.objects.exists() and not EmployerQuestion.objects.exists()
    with pytest.raises(CaseNotFound):
        response_submit(actor=rival, case_id=case.pk, kind="dispute", reasons="不是我们")


def test_an_operator_answers_as_the_operator_and_a_second_answer_is_refused(org):
    case = _awaiting(org)
    operator_rep = get_user_model().objects.create_user(username="op", password="x" * 12)
    Representative.objects.create(user=operator_rep, company=org.operator)
    first = response_submit(actor=operator_rep, case_id=case.pk, kind="dispute", reasons="已结清")
    assert first.company == org.operator
    with pytest.raises(CaseChanged) as refusal:
        response_submit(
            actor=org.representative,
            case_id=case.pk,
            kind="accept",
            amount=Decimal("1"),
            pay_by=date(2026, 12, 20),
        )
    assert "already answered" in refusal.value.message or "已" in refusal.value.message
    assert EmployerResponse.objects.count() == 1


def test_no_answer_is_taken_when_the_bureau_has_not_asked(org):
    case = make_case(
        worker=org.worker,
        street=org.a.street,
        parties=[PartyInput(kind=CompanyKind.PLATFORM, company=org.platform)],
    )
    case = put_case_in_state(case, CaseState.VERIFYING, org.supervisor)
    with pytest.raises(ActionRefused):
        response_submit(actor=org.representative, case_id=case.pk, kind="dispute", reasons="x")
    assert not EmployerResponse.objects.exists()


def test_files_the_employer_adds_are_theirs_to_read_even_without_the_workers_consent(client, org):
    case = _awaiting(org, consent=False)
    client.force_login(org.representative)
    upload = SimpleUploadedFile("工资流水.png", PNG, content_type="image/png")
    response = client.post(reverse("portal:add_evidence", args=[case.pk]), {"files": [upload]})
    assert response.status_code == 302
    added = Evidence.objects.get(case=case)
    assert added.uploaded_by == org.representative
    page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "工资流水.png" in page
    assert client.get(reverse("portal:evidence", args=[case.pk, added.pk])).status_code == 200
    client.force_login(org.a.coordinator)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "工资流水.png" in page


def test_a_file_that_is_not_what_it_claims_is_refused(client, org):
    case = _awaiting(org)
    client.force_login(org.representative)
    fake = SimpleUploadedFile("invoice.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(reverse("portal:add_evidence", args=[case.pk]), {"files": [fake]})
    assert response.status_code == 400
    assert not Evidence.objects.filter(case=case).exists()


def test_a_question_reaches_the_coordinator_and_the_answer_comes_back(client, org):
    case = _awaiting(org)
    client.force_login(org.representative)
    client.post(reverse("portal:ask", args=[case.pk]), {"question": "请提供骑手的工号。"})
    asked = EmployerQuestion.objects.get(case=case)
    handlers = Notification.objects.filter(kind=NotificationKind.EMPLOYER_QUESTION, case=case)
    assert handlers.exists()
    coordinator = handlers.first().recipient
    assert org.worker not in [n.recipient for n in handlers]
    client.force_login(coordinator)
    page = client.get(reverse("responses:case", args=[case.pk])).content.decode()
    assert "请提供骑手的工号。" in page
    url = reverse("responses:answer", args=[case.pk, asked.pk])
    assert client.post(url, {f"q{asked.pk}-answer": "工号 BJ1024。"}).status_code == 302
    again = client.post(url, {f"q{asked.pk}-answer": "再答一次"})
    assert again.status_code in (400, 302)
    asked.refresh_from_db()
    assert asked.answer == "工号 BJ1024。"
    assert Notification.objects.filter(
        kind=NotificationKind.QUESTION_ANSWERED, recipient=org.representative
    ).exists()
    client.force_login(org.representative)
    page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "工号 BJ1024。" in page
    # The worker never reads the exchange between the employer and the bureau.
    public = CaseEvent.objects.filter(case=case, is_public=True).values_list("reason", flat=True)
    assert not any("工号" in (reason or "") for reason in public)


def test_the_portal_page_answers_in_a_constant_number_of_queries(
    client, org, django_assert_max_num_queries
):
    case = _awaiting(org)
    client.force_login(org.representative)
    client.get(reverse("portal:case", args=[case.pk]))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("portal:case", args=[case.pk])).status_code == 200


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises whole transactions"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_answers_at_the_same_moment_record_one():
    org = make_org()
    with frozen_now(beijing(date(2026, 12, 7), 10)):
        case = _awaiting(org)

        def answer():
            return response_submit(
                actor=org.representative, case_id=case.pk, kind="dispute", reasons="同时"
            )

        results = run_together([answer, answer])
    assert sorted(ok for ok, _value in results) == [False, True]
    refused = next(value for ok, value in results if not ok)
    assert isinstance(refused, ActionRefused)
    assert EmployerResponse.objects.filter(case=case).count() == 1
    assert Case.objects.get(pk=case.pk).state == CaseState.VERIFYING


def test_an_answered_complaint_leaves_awaiting_and_shows_under_answered(client, org):
    case = _awaiting(org)
    client.force_login(org.representative)
    home = reverse("portal:home")
    assert case.reference in client.get(home).content.decode()
    response_submit(actor=org.representative, case_id=case.pk, kind="dispute", reasons="已结清")
    assert case.reference not in client.get(home).content.decode()
    assert case.reference in client.get(home, {"queue": "answered"}).content.decode()
