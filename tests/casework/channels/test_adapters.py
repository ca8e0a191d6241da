"""Issue 20: replies upstream go through an adapter per channel. Without configuration the
file export carries them (a CSV/XLSX in each upstream's columns); a push adapter plugged in
by settings delivers them after the commit, and only what the upstream accepted is marked so."""

import io

import openpyxl
import pytest
from django.urls import reverse

from casework.cases.choices import Channel
from casework.channels.adapters import (
    FILE_EXPORT,
    UpstreamAdapter,
    adapter_for,
    adapter_register,
)
from casework.channels.adapters_models import UpstreamMessage, UpstreamMessageKind
from casework.channels.models import ReplyStatus, UpstreamOrder
from casework.channels.replies import reply_confirm, reply_draft
from tests.casework.channels.helpers import register
from tests.factories.cases import make_org, put_case_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]


class FakeHotline(UpstreamAdapter):
    """Stands in for the 12345 hotline's system (an external system, not our code): it keeps
    what it was handed, or refuses everything when `down`."""

    key = "hotline_api"
    label = "12345 hotline interface"
    pushes = True
    received: list[tuple[str, str]] = []
    down = False

    def deliver(self, message):
        if self.down:
            raise ConnectionError("the hotline system is down")
        self.received.append((message.order.reference, message.text))


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def hotline_pushes(settings):
    FakeHotline.received, FakeHotline.down = [], False
    settings.ANXIN_UPSTREAM_ADAPTERS = {
        Channel.HOTLINE_12345: "tests.casework.channels.test_adapters.FakeHotline"
    }
    yield FakeHotline
    settings.ANXIN_UPSTREAM_ADAPTERS = {}


def concluded(org, **kwargs):
    case, _ = register(org.a.coordinator, org.a.street, **kwargs)
    put_case_in_state(case, "resolved", org.supervisor)
    order = UpstreamOrder.objects.get(case=case)
    reply_draft(actor=org.a.coordinator, order_id=order.pk)
    return order


def download(client, fmt, channel=""):
    url = reverse("channels:replies_file", args=[fmt])
    response = client.get(url, {"channel": channel} if channel else {})
    assert response.status_code == 200
    return response.content


def test_without_configuration_the_file_export_carries_the_reply_in_the_upstream_columns(
    org, client
):
    assert adapter_for(Channel.NATIONAL_CLUE).key == FILE_EXPORT
    order = concluded(org, channel=Channel.NATIONAL_CLUE, reference="XS-2026-77")
    sent = reply_confirm(actor=org.a.coordinator, order_id=order.pk, text="已督促企业支付。")
    assert (sent.reply_status, sent.reply_sent_via) == (ReplyStatus.SENT, FILE_EXPORT)
    message = UpstreamMessage.objects.get(order=order)
    assert (message.kind, message.via, message.delivered_at) == ("reply", FILE_EXPORT, None)

    client.force_login(org.a.coordinator)
    body = download(client, "csv", Channel.NATIONAL_CLUE).decode("utf-8-sig").splitlines()
    assert body[0].split(",") == [
        "工单编号",
        "类型",
        "核查处理情况",
        "追回工资金额",
        "当事人满意度",
        "安薪案件编号",
        "答复时间",
    ], "the national clue platform's own columns"
    assert body[1].split(",")[:6] == [
        "XS-2026-77",
        "回复",
        "已督促企业支付。",
        "¥0.00",
        "未评价",
        order.case.reference,
    ]
    book = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx")))
    sheet = book[str(Channel.NATIONAL_CLUE.label)]
    assert [c.value for c in sheet[2]][:3] == ["XS-2026-77", "回复", "已督促企业支付。"]

    page = client.get(reverse("channels:reply", args=[order.pk])).content.decode()
    assert "回复文件（下载后上传至上级系统）" in page, "staff read how it leaves"


def test_a_push_adapter_named_in_settings_delivers_after_the_commit(
    org, client, hotline_pushes, django_capture_on_commit_callbacks
):
    order = concluded(org)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = reply_confirm(actor=org.a.coordinator, order_id=order.pk, text="已足额支付。")
        assert hotline_pushes.received == [], "nothing leaves before the commit"
    assert len(callbacks) == 1
    assert hotline_pushes.received == [(order.reference, "已足额支付。")]
    assert sent.reply_sent_via == "hotline_api", "recorded as sent by the adapter that sent it"
    message = UpstreamMessage.objects.get(order=order)
    assert message.delivered_at is not None, "the hotline accepted it"

    client.force_login(org.a.coordinator)
    page = client.get(reverse("channels:reply", args=[order.pk])).content.decode()
    assert "12345 hotline interface" in page and "上级系统已接收" in page
    csv_body = download(client, "csv").decode("utf-8-sig")
    assert order.reference not in csv_body, "a pushed reply is not uploaded a second time"


def test_a_push_that_fails_is_never_shown_as_accepted(
    org, client, settings, hotline_pushes, django_capture_on_commit_callbacks
):
    settings.ANXIN_OUTBOUND_RAISE = False  # production: the failure is logged
    hotline_pushes.down = True
    order = concluded(org)
    with django_capture_on_commit_callbacks(execute=True):
        reply_confirm(actor=org.a.coordinator, order_id=order.pk, text="已足额支付。")
    message = UpstreamMessage.objects.get(order=order)
    assert message.via == "hotline_api" and message.delivered_at is None
    client.force_login(org.a.coordinator)
    page = client.get(reverse("channels:reply", args=[order.pk])).content.decode()
    assert "上级系统尚未接收" in page


def test_an_adapter_registered_by_code_takes_precedence_and_can_be_removed(org):
    adapter = FakeHotline()
    adapter_register(Channel.PROVINCIAL_APP, adapter)
    try:
        assert adapter_for(Channel.PROVINCIAL_APP) is adapter
    finally:
        adapter_register(Channel.PROVINCIAL_APP, None)
    assert adapter_for(Channel.PROVINCIAL_APP).key == FILE_EXPORT


def test_the_file_lists_only_the_messages_of_cases_the_user_sees(org, client):
    order = concluded(org)
    reply_confirm(actor=org.a.coordinator, order_id=order.pk, text="办结。")
    for user in (org.b.coordinator, org.worker):
        client.force_login(user)
        response = client.get(reverse("channels:replies_file", args=["csv"]))
        assert order.reference.encode() not in response.content
    client.force_login(org.a.coordinator)
    url = reverse("channels:replies_file", args=["csv"])
    unknown = client.get(url, {"channel": "nonsense"})
    assert unknown.status_code == 200 and order.reference.encode() in unknown.content
    assert client.get(url, {"channel": "x\x00"}).status_code == 400, "refused at the door"
    assert UpstreamMessage.objects.filter(kind=UpstreamMessageKind.REPLY).count() == 1


def test_with_nothing_to_send_the_files_still_open_with_the_upstream_columns(org, client):
    client.force_login(org.a.coordinator)
    book = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx")))
    assert [c.value for c in book.active[1]][:3] == ["工单编号", "类型", "处理结果"]
    body = download(client, "csv", Channel.PROVINCIAL_APP).decode("utf-8-sig")
    assert body.splitlines() == ["工单编号,类型,办理结果,追回金额,群众评价,安薪案件编号,答复时间"]
