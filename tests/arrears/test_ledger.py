"""The arrears ledger of a case: the verified amount with its basis, payments (append-only,
never more than owed), corrections, the worker's confirmation, and resolving."""

from datetime import timedelta

import pytest
from django.urls import reverse

from arrears.models import Payment, VerifiedAmount
from arrears.services import payment_confirm, payment_reverse, payment_verify_proof
from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.cases.services.transitions import case_transition
from casework.core.errors import ActionRefused, CaseNotFound
from casework.notifications.models import Notification, NotificationKind
from casework.notifications.rendering import openable_case_pages
from casework.supervision.selectors import dashboard_for_user
from casework.timeline.models import CaseEvent
from tests.arrears.ledger_helpers import NOW, TODAY, D, pay, verify, verifying_case
from tests.casework.cases.test_case_pages import jpeg
from tests.factories.cases import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def case(org):
    return verifying_case(org, amount_claimed=D("3000.00"))


def state_of(case) -> tuple:
    """Everything a refused call must leave as it was."""
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.amount_verified,
        fresh.state,
        list(Payment.objects.filter(case=case).values_list("pk", "amount", "status")),
        VerifiedAmount.objects.filter(case=case).count(),
        CaseEvent.objects.filter(case=case).count(),
    )


# 1. The verified amount ----------------------------------------------------------------------


def test_before_verification_the_claim_is_owed_and_marked_unverified(client, org, case):
    client.force_login(org.worker)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert Case.objects.get(pk=case.pk).amount_outstanding == D("3000.00")
    assert "¥3,000.00" in page and 'data-testid="ledger-unverified"' in page


def test_the_verified_amount_keeps_its_basis_and_a_change_needs_a_reason(client, org, case):
    verify(org, case, "2472.00")
    with pytest.raises(ActionRefused) as refused:
        verify(org, case, "2400.00")
    assert refused.value.field == "reason" and "¥2,472.00" in refused.value.message
    verify(org, case, "2400.00", reason="扣除重复计算的3单")

    fresh = Case.objects.get(pk=case.pk)
    assert fresh.amount_verified == D("2400.00") and fresh.amount_outstanding == D("2400.00")
    rows = list(VerifiedAmount.objects.filter(case=case))
    assert [r.amount for r in rows] == [D("2400.00"), D("2472.00")]
    assert rows[0].orders.startswith("3月订单") and rows[0].reason == "扣除重复计算的3单"
    reasons = [h.history_change_reason for h in fresh.history.all()[:2]]
    assert "verified amount: 扣除重复计算的3单" in reasons
    client.force_login(org.a.coordinator)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "¥2,400.00" in page and "超时罚款120元不合理" in page


def test_only_a_coordinator_or_inspector_verifies(org, case):
    before = state_of(case)
    with pytest.raises(ActionRefused):
        verify_as(org.a.mediator, case)
    with pytest.raises(CaseNotFound):
        verify_as(org.b.coordinator, case)
    assert state_of(case) == before


def verify_as(actor, case):
    from arrears.services import verified_amount_set

    verified_amount_set(
        actor=actor,
        case_id=case.pk,
        amount="100",
        period_start=case.period_start,
        period_end=case.period_end,
    )


# 2. Payments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("-5", "大于零"),
        ("0", "大于零"),
        ("1e12", "最多为"),
        ("abc", "例如 1200.50"),
        ("NaN", "例如 1200.50"),
        ("10.123", "两位小数"),
        ("", "例如 1200.50"),
    ],
)
def test_a_bad_amount_is_refused_in_words_and_changes_nothing(org, case, amount, words):
    verify(org, case, "1000")
    before = state_of(case)
    with pytest.raises(ActionRefused) as refused:
        pay(org, case, amount)
    assert words in refused.value.message and refused.value.field == "amount"
    assert state_of(case) == before


@pytest.mark.parametrize(
    ("day", "field"),
    [(TODAY + timedelta(days=1), "paid_on"), (TODAY.replace(year=2026, month=2), "paid_on")],
)
def test_a_date_in_the_future_or_before_the_work_is_refused(org, case, day, field):
    verify(org, case, "1000")
    before = state_of(case)
    with pytest.raises(ActionRefused) as refused:
        pay(org, case, "10", paid_on=day)
    assert refused.value.field == field
    assert state_of(case) == before


def test_overpaying_is_refused_with_what_is_owed(org, case):
    verify(org, case, "1000")
    pay(org, case, "600")
    before = state_of(case)
    with pytest.raises(ActionRefused) as refused:
        pay(org, case, "400.01")
    assert "¥1,000.00" in refused.value.message and "¥400.00" in refused.value.message
    assert state_of(case) == before
    pay(org, case, "400.00")
    assert Case.objects.get(pk=case.pk).amount_outstanding == D("0.00")


def test_a_payment_on_a_case_outside_the_users_scope_answers_404(client, org, case):
    before = state_of(case)
    with pytest.raises(CaseNotFound):
        pay(org, case, "10", actor=org.b.coordinator)
    client.force_login(org.b.coordinator)
    url = reverse("arrears:payment_record", args=[case.pk])
    response = client.post(url, {"amount": "10", "paid_on": "2026-12-01", "method": "bank"})
    assert response.status_code == 404
    assert client.get(reverse("arrears:case_ledger", args=[case.pk])).status_code == 404
    assert state_of(case) == before


def test_a_correction_cancels_exactly_and_cannot_itself_be_corrected(org, case):
    verify(org, case, "1000")
    wrong = pay(org, case, "300.10")
    correction = payment_reverse(
        actor=org.a.coordinator, case_id=case.pk, payment_id=wrong.pk, reason="录入错误"
    )
    assert correction.amount == D("-300.10") and correction.reverses_id == wrong.pk
    assert Case.objects.get(pk=case.pk).amount_paid == D("0.00")
    assert Payment.objects.get(pk=wrong.pk).amount == D("300.10")  # never edited
    before = state_of(case)
    for payment_id, words in ((correction.pk, "不能再更正"), (wrong.pk, "已经更正过")):
        with pytest.raises(ActionRefused) as refused:
            payment_reverse(
                actor=org.a.coordinator, case_id=case.pk, payment_id=payment_id, reason="再改"
            )
        assert words in refused.value.message
    assert state_of(case) == before


def test_a_proof_must_be_a_real_photo_or_pdf(client, org, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    verify(org, case, "1000")
    before = state_of(case)
    fake = SimpleUploadedFile("slip.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(ActionRefused) as refused:
        pay(org, case, "100", proof=fake)
    assert refused.value.field == "proof"
    assert state_of(case) == before
    client.force_login(org.a.coordinator)
    response = client.post(
        reverse("arrears:payment_record", args=[case.pk]),
        {"amount": "100", "paid_on": "2026-12-01", "method": "bank", "source": "employer",
         "proof": jpeg("slip.jpg")},
    )  # fmt: skip
    assert response.status_code == 302
    payment = Payment.objects.get(case=case)
    assert payment.source == "employer" and payment.proof_content_type == "image/jpeg"
    proof = client.get(reverse("arrears:payment_proof", args=[case.pk, payment.pk]))
    assert proof.status_code == 200
    # The coordinator's opening of the slip is in the personal-data access log, once; the
    # worker's own opening is not, and a refused one writes nothing.
    from casework.privacy.models import DataAccess

    opened = DataAccess.objects.get()
    assert (opened.actor, opened.case_id, opened.field) == (org.a.coordinator, case.pk, "evidence")
    client.force_login(case.worker)
    assert (
        client.get(reverse("arrears:payment_proof", args=[case.pk, payment.pk])).status_code == 200
    )
    client.force_login(org.b.coordinator)
    assert (
        client.get(reverse("arrears:payment_proof", args=[case.pk, payment.pk])).status_code == 404
    )
    assert DataAccess.objects.count() == 1


# 3. The worker's confirmation ------------------------------------------------------------------


def test_the_worker_confirms_on_their_case_page_and_recovered_money_follows(client, org, case):
    verify(org, case, "1000")
    payment = pay(org, case, "250.50")
    assert Notification.objects.filter(
        recipient=org.worker, kind=NotificationKind.PAYMENT_TO_CONFIRM
    ).exists()
    assert dashboard_for_user(user=org.supervisor, today=TODAY).recovered == D("0.00")

    client.force_login(org.worker)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    confirm_url = reverse("arrears:payment_confirm", args=[case.pk, payment.pk])
    assert confirm_url in page and "¥250.50" in page
    response = client.post(confirm_url, {"received": "yes", "note": "已到账"})
    assert response.status_code == 302

    assert Payment.objects.get(pk=payment.pk).status == "received"
    assert dashboard_for_user(user=org.supervisor, today=TODAY).recovered == D("250.50")


def test_only_the_worker_confirms(client, org, case):
    verify(org, case, "1000")
    payment = pay(org, case, "100")
    before = state_of(case)
    with pytest.raises(ActionRefused) as refused:
        payment_confirm(
            actor=org.a.coordinator, case_id=case.pk, payment_id=payment.pk, received=True
        )
    assert "只有劳动者本人" in refused.value.message
    client.force_login(org.other_worker)
    url = reverse("arrears:payment_confirm", args=[case.pk, payment.pk])
    assert client.post(url, {"received": "yes"}).status_code == 404
    assert state_of(case) == before


def test_a_disputed_payment_is_flagged_to_the_coordinators_with_a_page_they_open(org, case):
    verify(org, case, "1000")
    payment = pay(org, case, "100", source="employer")
    payment_confirm(
        actor=org.worker, case_id=case.pk, payment_id=payment.pk, received=False, note="没收到"
    )
    flagged = Notification.objects.filter(kind=NotificationKind.PAYMENT_DISPUTED)
    assert flagged.exists()
    for notice in flagged.select_related("recipient"):
        assert case.pk in openable_case_pages(notice.recipient, [case.pk])
    event = CaseEvent.objects.filter(case=case, kind="payment_disputed").get()
    assert "没收到" in event.reason
    # Staff cannot check proof over the worker's word.
    with pytest.raises(ActionRefused):
        payment_verify_proof(actor=org.a.coordinator, case_id=case.pk, payment_id=payment.pk)


# 4. Resolving ---------------------------------------------------------------------------------


def test_the_case_resolves_only_when_paid_and_confirmed(org, case):
    verify(org, case, "1000")
    first = pay(org, case, "600", confirm=True)
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.a.coordinator, case_id=case.pk, name="resolve")
    assert "¥400.00" in refused.value.message
    second = pay(org, case, "400")
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.a.coordinator, case_id=case.pk, name="resolve")
    assert "等待劳动者确认" in refused.value.message
    payment_confirm(actor=org.worker, case_id=case.pk, payment_id=second.pk, received=False)
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.a.coordinator, case_id=case.pk, name="resolve")
    assert "未到账" in refused.value.message
    payment_confirm(actor=org.worker, case_id=case.pk, payment_id=second.pk, received=True)
    case_transition(actor=org.a.coordinator, case_id=case.pk, name="resolve")
    assert Case.objects.get(pk=case.pk).state == CaseState.RESOLVED
    assert first.pk != second.pk


# Pages ----------------------------------------------------------------------------------------


def test_the_ledger_pages_take_the_same_queries_for_one_payment_and_ten(
    client, org, case, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    verify(org, case, "5000")
    pay(org, case, "10", confirm=True)
    urls = [
        (org.a.coordinator, reverse("arrears:case_ledger", args=[case.pk])),
        (org.a.coordinator, reverse("casework:case_detail", args=[case.pk])),
        (org.worker, reverse("casework:case_detail", args=[case.pk])),
    ]

    def counts():
        result = []
        for user, url in urls:
            client.force_login(user)
            client.get(url)  # sign-in: the user and their scope are read
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    few = counts()
    for n in range(9):
        payment = pay(org, case, f"{n + 1}.01")
        if n % 3 == 0:
            payment_reverse(
                actor=org.a.coordinator, case_id=case.pk, payment_id=payment.pk, reason="错"
            )
    assert counts() == few


def test_recording_a_payment_through_the_form_takes_the_same_queries_however_long_the_ledger(
    client, org, case
):
    # Nothing is read before the service (it checks the case and the instalment under its
    # lock); the ledger the user is sent back to is the next page's read, so a long ledger
    # costs the POST nothing.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    verify(org, case, "5000")
    client.force_login(org.a.coordinator)
    client.get(reverse("arrears:case_ledger", args=[case.pk]))  # sign-in: the user is read
    url = reverse("arrears:payment_record", args=[case.pk])

    def record(amount: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                url,
                {"amount": amount, "paid_on": "2026-12-01", "method": "bank", "source": "staff"},
            )
        assert response.status_code == 302
        return len(queries)

    first = record("1.00")
    for n in range(9):
        pay(org, case, f"{n + 1}.01")
    assert record("2.00") == first
    assert first <= 19, f"recording a payment took {first} queries"
    assert Payment.objects.filter(case=case).count() == 11
