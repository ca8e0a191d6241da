"""Issue 20: staff register one work order on one screen, pasting its text to pre-fill."""

import pytest
from django.urls import reverse

from casework.cases.choices import Channel
from casework.cases.models import Case
from casework.channels.pasted import parse_work_order
from tests.casework.channels.helpers import register
from tests.factories.cases import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]

TEXT = (
    "工单编号：12345-20261010-0042\n来电人：孙师傅\n联系电话：13900005555\n"
    "被反映单位：速达外卖\n来电人在东城街道送外卖，反映2026年8月1日至2026年8月31日的配送费"
    "共计3,600元未结算。"
)


@pytest.fixture
def org():
    return make_org()


def test_the_pasted_text_fills_what_it_says_plainly(org):
    initial = parse_work_order(TEXT)
    assert initial["upstream_reference"] == "12345-20261010-0042"
    assert initial["worker_name"] == "孙师傅"
    assert initial["worker_mobile"] == "13900005555"
    assert str(initial["amount_claimed"]) == "3600"
    assert initial["jurisdiction"] == org.a.street.pk
    assert initial["period_start"].isoformat() == "2026-08-01"
    assert initial["platform_other"] == "速达外卖"


def test_staff_read_the_text_then_register_and_a_second_time_finds_the_case(client, org):
    client.force_login(org.a.coordinator)
    url = reverse("channels:register")
    page = client.post(url, {"read": "1", "work_order_text": TEXT}).content.decode()
    assert "13900005555" in page and "12345-20261010-0042" in page
    form = {
        "channel": Channel.HOTLINE_12345,
        "upstream_reference": "12345-20261010-0042",
        "received_on": "2026-10-10",
        "work_order_text": TEXT,
        "worker_name": "孙师傅",
        "worker_mobile": "13900005555",
        "jurisdiction": org.a.street.pk,
        "platform": org.platform.pk,
        "category": "pay_arrears",
        "period_start": "2026-08-01",
        "period_end": "2026-08-31",
        "amount_claimed": "3600",
        "description": "配送费共计3600元未结算。",
    }
    first = client.post(url, form)
    case = Case.objects.get()
    assert first["Location"] == reverse("casework:case_detail", args=[case.pk])
    assert case.channel == Channel.HOTLINE_12345
    client.post(url, form)
    assert Case.objects.count() == 1, "the same number leads to the case it became"
    panel = client.get(reverse("channels:case_orders", args=[case.pk]) + "?panel=1")
    assert "12345-20261010-0042" in panel.content.decode()


def test_a_street_the_staff_member_does_not_serve_is_refused(org):
    from casework.core.errors import ActionRefused

    with pytest.raises(ActionRefused):
        register(org.a.coordinator, org.b.street)
    assert Case.objects.count() == 0


def test_a_worker_and_a_representative_cannot_open_the_channels_pages(client, org):
    for user in (org.worker, org.representative):
        client.force_login(user)
        for name in ("channels:orders", "channels:register", "channels:import"):
            assert client.get(reverse(name)).status_code == 404, (user, name)


def test_the_token_link_is_offered_only_to_those_who_may_open_it(client, org):
    """A coordinator following it would land on a 404; a supervisor finds the token page."""
    tokens = reverse("channels:tokens")
    client.force_login(org.a.coordinator)
    page = client.get(reverse("channels:orders")).content.decode()
    assert tokens not in page
    assert client.get(tokens).status_code == 404
    client.force_login(org.supervisor)
    page = client.get(reverse("channels:orders")).content.decode()
    assert tokens in page
    assert client.get(tokens).status_code == 200


def test_the_import_page_names_the_employer_column_as_required(client, org):
    """A row without 被反映单位 is refused, so the page must not call that column optional."""
    client.force_login(org.a.coordinator)
    page = client.get(reverse("channels:import")).content.decode()
    assert "所属街道、被反映单位、诉求内容；可选：身份证号、欠薪开始" in page
