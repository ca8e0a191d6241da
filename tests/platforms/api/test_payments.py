"""The employer reports payments through the API: shown as reported by the employer until the
worker confirms; within the token's company only; replays do nothing twice."""

import pytest

from arrears.models import Payment
from arrears.services import payment_confirm, verified_amount_set
from casework.cases.choices import CaseState
from tests.platforms.api.conftest import file_case

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07", hour=10)]


@pytest.fixture
def case(org):
    case = file_case(org, org.platform, state=CaseState.VERIFYING)
    verified_amount_set(
        actor=org.a.coordinator,
        case_id=case.pk,
        amount="1000.00",
        period_start=case.period_start,
        period_end=case.period_end,
    )
    return case


BODY = {"amount": "400.00", "paid_on": "2026-12-06", "method": "bank", "note": "转账"}


def test_a_reported_payment_waits_for_the_worker_and_a_replay_does_nothing(org, api, case):
    path = f"cases/{case.pk}/payments/"
    first = api.post_json(path, BODY, key="pay-1")
    assert first.status_code == 201, first.json()
    assert first.json()["source"] == "employer" and first.json()["status"] == "awaiting"
    again = api.post_json(path, BODY, key="pay-1")
    assert again.status_code == 201 and again.json() == first.json()
    assert Payment.objects.count() == 1

    listed = api.get(path).json()
    amounts = (listed["paid"], listed["confirmed"], listed["outstanding"])
    assert amounts == ("400.00", "0.00", "600.00")
    payment = Payment.objects.get()
    payment_confirm(actor=org.worker, case_id=case.pk, payment_id=payment.pk, received=True)
    listed = api.get(path).json()
    assert listed["confirmed"] == "400.00" and listed["payments"][0]["status"] == "received"


def test_overpaying_or_a_future_date_is_refused_naming_the_field(api, case):
    path = f"cases/{case.pk}/payments/"
    too_much = api.post_json(path, {**BODY, "amount": "1000.01"}, key="a")
    assert too_much.status_code == 422 and "amount" in too_much.json()["error"]["fields"]
    future = api.post_json(path, {**BODY, "paid_on": "2026-12-08"}, key="b")
    assert future.status_code == 422 and "paid_on" in future.json()["error"]["fields"]
    assert not Payment.objects.exists()


def test_another_companys_token_gets_404_and_nothing_is_written(rival_api, case):
    path = f"cases/{case.pk}/payments/"
    assert rival_api.get(path).status_code == 404
    assert rival_api.post_json(path, BODY, key="x").status_code == 404
    assert rival_api.get("cases/99999999/payments/").status_code == 404
    assert not Payment.objects.exists()
