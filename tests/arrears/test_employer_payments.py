"""An employer reports a payment on the platform portal: it shows as "reported by the employer"
until the worker confirms it; only within the representative's companies."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arrears.models import Payment
from arrears.services import payment_confirm
from casework.cases.choices import CaseState
from platforms.models import Representative
from tests.arrears.ledger_helpers import NOW, TODAY, D, pay, verify, verifying_case
from tests.factories.cases import make_case, make_org, make_platform

pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def case(org):
    case = verifying_case(org)
    verify(org, case, "1000.00")
    return case


def _url(case):
    return reverse("arrears:portal_payments", args=[case.pk])


def _report(client, case, **fields):
    body = {"amount": "300.00", "paid_on": "2026-12-05", "method": "platform_wallet", **fields}
    return client.post(_url(case), body)


def test_the_employer_reports_a_payment_and_it_waits_for_the_worker(client, org, case):
    client.force_login(org.representative)
    page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert _url(case) in page  # the portal's case page leads here

    assert client.get(_url(case)).status_code == 200
    response = _report(client, case)
    assert response.status_code == 302, response.content.decode()[:2000]
    payment = Payment.objects.get(case=case)
    assert (payment.source, payment.status, payment.recorded_by) == (
        "employer",
        "awaiting",
        org.representative,
    )
    page = client.get(_url(case)).content.decode()
    assert "¥700.00" in page and "用人单位报称" in page  # reported by the employer

    # The worker sees who says it was paid, and confirms it: then it is recovered money.
    client.force_login(org.worker)
    worker_page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "¥300.00" in worker_page
    payment_confirm(actor=org.worker, case_id=case.pk, payment_id=payment.pk, received=True)
    assert Payment.objects.get(pk=payment.pk).status == "received"


def test_a_bad_report_is_refused_in_words_and_records_nothing(client, org, case):
    client.force_login(org.representative)
    for fields, words in (
        ({"amount": "1000.01"}, "¥1,000.00"),  # more than is owed: says what is owed
        ({"amount": "-5"}, ""),
        ({"amount": "1e12"}, ""),
        ({"amount": "12.345"}, ""),
        ({"paid_on": "2026-12-08"}, ""),  # tomorrow
        ({"method": "bitcoin"}, ""),
        ({"instalment": "99999"}, ""),
        ({"note": "x\x00y"}, ""),
    ):
        response = _report(client, case, **fields)
        assert response.status_code == 400, fields
        assert words in response.content.decode()
    assert not Payment.objects.exists()


def test_another_companys_case_answers_404_and_changes_nothing(client, org, case):
    rival_user = get_user_model().objects.create_user(username="rival.rep", password="x" * 12)
    Representative.objects.create(user=rival_user, company=make_platform("闪送急送平台"))
    submitted = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    assert submitted.state == CaseState.SUBMITTED
    for user, target in (
        (rival_user, case),  # names another platform
        (org.representative, submitted),  # not taken up by the bureau yet
        (org.worker, case),  # a worker is not the employer
    ):
        client.force_login(user)
        assert client.get(_url(target)).status_code == 404
        assert _report(client, target).status_code == 404
    assert not Payment.objects.exists()


def test_the_page_reads_the_same_queries_for_one_payment_and_five(client, org, case):
    client.force_login(org.representative)

    def queries() -> int:
        client.get(_url(case))  # a payment notifies the representative: the badge is counted
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(case)).status_code == 200
        return len(captured)

    pay(org, case, "10.00")
    one = queries()
    for _n in range(4):
        pay(org, case, "10.00", paid_on=TODAY)
    assert queries() == one
    assert Payment.objects.count() == 5 and sum(p.amount for p in Payment.objects.all()) == D(50)
