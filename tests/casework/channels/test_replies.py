"""Issue 20: when the case concludes, Anxin drafts the reply in the upstream's format; staff
confirm it and it is recorded as sent; the replies file needs no adapter."""

import pytest
from django.urls import reverse

from casework.cases.choices import Channel
from casework.channels.models import ReplyStatus, UpstreamOrder
from casework.channels.replies import reply_confirm, reply_draft
from casework.core import satisfaction
from casework.core.errors import ActionRefused, NotFound
from tests.casework.channels.helpers import register
from tests.factories.cases import make_org, put_case_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def order(org):
    case, _created = register(org.a.coordinator, org.a.street)
    return UpstreamOrder.objects.get(case=case)


def test_the_reply_waits_for_the_case_to_conclude(order, org):
    with pytest.raises(ActionRefused):
        reply_draft(actor=org.a.coordinator, order_id=order.pk)


def test_a_concluded_case_gets_a_reply_in_the_hotline_format_confirmed_once(order, org):
    put_case_in_state(order.case, "resolved", org.supervisor)
    drafted = reply_draft(actor=org.a.coordinator, order_id=order.pk)
    assert drafted.reply_status == ReplyStatus.DRAFTED
    assert "处理结果：" in drafted.reply_text
    assert "追回金额：¥0.00" in drafted.reply_text
    assert "来电人满意度：未评价" in drafted.reply_text
    assert order.case.reference in drafted.reply_text

    sent = reply_confirm(actor=org.a.coordinator, order_id=order.pk, text="办理完毕。")
    assert sent.reply_status == ReplyStatus.SENT and sent.reply_sent_via == "file"
    assert sent.reply_sent_by == org.a.coordinator
    with pytest.raises(ActionRefused):
        reply_confirm(actor=org.a.coordinator, order_id=order.pk, text="again")


def test_the_workers_rating_goes_into_the_reply_when_the_ratings_give_one(order, org):
    put_case_in_state(order.case, "resolved", org.supervisor)
    satisfaction.SATISFACTION_READERS.append(lambda case: "满意")
    try:
        drafted = reply_draft(actor=org.a.coordinator, order_id=order.pk)
    finally:
        satisfaction.SATISFACTION_READERS.pop()
    assert "来电人满意度：满意" in drafted.reply_text


def test_the_national_platform_has_its_own_labels(org):
    case, _ = register(org.a.coordinator, org.a.street, channel=Channel.NATIONAL_CLUE)
    put_case_in_state(case, "resolved", org.supervisor)
    drafted = reply_draft(actor=org.a.coordinator, order_id=case.upstream_orders.get().pk)
    assert "核查处理情况：" in drafted.reply_text and "追回工资金额：" in drafted.reply_text


def test_staff_of_another_street_cannot_see_or_reply(client, order, org):
    put_case_in_state(order.case, "resolved", org.supervisor)
    with pytest.raises(NotFound):
        reply_draft(actor=org.b.coordinator, order_id=order.pk)
    client.force_login(org.b.coordinator)
    url = reverse("channels:reply", args=[order.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"draft": "1"}).status_code == 404
    client.force_login(order.case.worker)
    assert client.get(url).status_code == 404


def test_the_reply_pages_draft_confirm_and_export(client, order, org):
    put_case_in_state(order.case, "resolved", org.supervisor)
    client.force_login(org.a.coordinator)
    url = reverse("channels:reply", args=[order.pk])
    client.post(url, {"draft": "1"})
    page = client.get(url).content.decode()
    assert "处理结果" in page
    client.post(url, {"text": "已督促企业足额支付。"})
    assert UpstreamOrder.objects.get().reply_status == ReplyStatus.SENT
    export = client.get(reverse("channels:replies_file", args=["csv"]))
    body = b"".join(export.streaming_content if export.streaming else [export.content])
    assert "已督促企业足额支付。" in body.decode("utf-8-sig")
    assert order.reference in body.decode("utf-8-sig")
    xlsx = client.get(reverse("channels:replies_file", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.force_login(org.b.coordinator)
    other = client.get(reverse("channels:replies_file", args=["csv"])).content.decode("utf-8-sig")
    assert order.reference not in other, "another street's staff do not get this reply"


def test_the_work_orders_page_lists_replies_owed_with_one_query_count(
    client, org, django_assert_max_num_queries
):
    for n in range(3):
        register(org.a.coordinator, org.a.street, reference=f"R-{n}", mobile=f"1390000300{n}")
    client.force_login(org.a.coordinator)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("channels:orders")).content.decode()
    assert "R-0" in page and "R-2" in page
