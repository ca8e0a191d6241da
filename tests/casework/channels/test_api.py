"""Issue 20: an upstream system posts its work orders with its token, idempotent on its
reference; its token files into one street for one channel and reads nothing else."""

import pytest
from django.urls import reverse

from casework.cases.choices import Channel
from casework.cases.models import Case
from casework.channels.models import UpstreamOrder, UpstreamToken
from casework.channels.tokens import upstream_token_create, upstream_token_revoke
from casework.core.errors import ActionRefused
from casework.organisation.models import Membership
from tests.factories.cases import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]

URL = "/api/upstream/v1/work-orders"
ORDER = {
    "reference": "12345-20261009-0007",
    "received_on": "2026-10-09",
    "worker_name": "钱师傅",
    "worker_mobile": "139 0000 7777",
    "employer": "速达外卖",
    "period_start": "2026-08-01",
    "period_end": "2026-08-31",
    "amount": "5200.00",
    "content": "来电人反映八月份配送费未结算，金额约五千元。",
}


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def secret(org):
    _token, secret = upstream_token_create(
        actor=org.supervisor, name="12345 热线", channel=Channel.HOTLINE_12345, unit=org.a.street
    )
    return secret


def post(client, secret, body=ORDER):
    return client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )


def test_posting_the_same_work_order_twice_creates_one_case(client, secret, org):
    first = post(client, secret)
    assert first.status_code == 201, first.content
    again = post(client, secret)
    assert again.status_code == 200
    assert again.json()["case_reference"] == first.json()["case_reference"]
    assert again.json()["created"] is False
    case = Case.objects.get()
    assert case.jurisdiction == org.a.street and case.channel == Channel.HOTLINE_12345
    assert case.worker.mobile == "13900007777"
    assert UpstreamOrder.objects.get().due_on.isoformat() == first.json()["due_on"]


def test_the_same_number_from_another_channel_is_another_work_order(client, secret, org):
    _token, other = upstream_token_create(
        actor=org.supervisor, name="全国平台", channel=Channel.NATIONAL_CLUE, unit=org.a.street
    )
    post(client, secret)
    assert post(client, other).status_code == 201
    assert Case.objects.count() == 2


def test_a_token_reads_back_its_own_channels_order_only(client, secret, org):
    post(client, secret)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    answer = client.get(f"{URL}/{ORDER['reference']}", **auth)
    assert answer.status_code == 200
    assert answer.json()["reply_status"] == "owed"
    assert client.get(f"{URL}/unknown", **auth).status_code == 404
    _token, other = upstream_token_create(
        actor=org.supervisor, name="省APP", channel=Channel.PROVINCIAL_APP, unit=org.a.street
    )
    assert (
        client.get(f"{URL}/{ORDER['reference']}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code
        == 404
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"worker_mobile": "138abc00000"},
        {"content": "工资\x00没有发放的问题很严重"},
        {"received_on": "2026-13-45"},
        {"amount": "-5"},
        {"period_start": "2026-09-30", "period_end": "2026-08-01"},
        {"reference": ""},
    ],
)
def test_bad_work_orders_are_refused_with_a_reason_and_create_nothing(client, secret, changes):
    response = post(client, secret, {**ORDER, **changes})
    assert response.status_code in (400, 422), response.content
    assert response.json()["error"]["message"]
    assert Case.objects.count() == 0


def test_no_token_a_wrong_token_or_a_revoked_one_is_refused(client, secret, org):
    assert client.post(URL, ORDER, content_type="application/json").status_code == 401
    assert post(client, "anxup_wrong").status_code == 401
    upstream_token_revoke(actor=org.supervisor, token_id=UpstreamToken.objects.get().pk)
    assert post(client, secret).status_code == 401
    assert Case.objects.count() == 0


def test_a_platform_api_token_is_not_an_upstream_token(client, org):
    from platforms.api.services import token_create

    _token, platform_secret = token_create(actor=org.representative, name="x")
    assert post(client, platform_secret).status_code == 401


def test_a_token_stops_filing_when_its_maker_no_longer_supervises_the_street(client, secret, org):
    Membership.objects.filter(user=org.supervisor).delete()
    response = post(client, secret)
    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_only_a_supervisor_of_the_street_makes_tokens(org):
    with pytest.raises(ActionRefused):
        upstream_token_create(
            actor=org.a.coordinator, name="x", channel=Channel.HOTLINE_12345, unit=org.a.street
        )


def test_the_tokens_page_shows_the_secret_once(client, org):
    client.force_login(org.supervisor)
    page = client.post(
        reverse("channels:tokens"),
        {"name": "12345 热线", "channel": Channel.HOTLINE_12345, "unit": org.a.street.pk},
    )
    assert "anxup_" in page.content.decode()
    token = UpstreamToken.objects.get()
    later = client.get(reverse("channels:tokens")).content.decode()
    assert token.prefix in later and "Copy the token now" not in later
    client.force_login(org.a.coordinator)
    assert client.get(reverse("channels:tokens")).status_code == 404
