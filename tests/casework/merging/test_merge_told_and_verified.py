"""Issue 20, merge: the upstream source of each work order of the merged case is told which
case continues (through the channel's adapter), the worker too; the preview shows money as
people read it; a verified amount taken from the duplicate goes through the arrears ledger with
its basis, its reason and its history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from arrears.models import VerifiedAmount
from arrears.services.verified import verified_amount_set
from casework.cases.choices import Channel
from casework.cases.models import Case, Evidence
from casework.channels.adapters_models import UpstreamMessage, UpstreamMessageKind
from casework.channels.models import UpstreamOrder
from casework.core.errors import ActionRefused
from casework.merging.services import case_merge
from casework.timeline.models import CaseEvent
from tests.casework.channels.helpers import register
from tests.casework.channels.test_adapters import FakeHotline
from tests.casework.merging.test_merge import duplicates, media_root  # noqa: F401
from tests.factories.cases import REASON, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]


@pytest.fixture
def org():
    return make_org()


def two_work_orders(org):
    first, _ = register(org.a.coordinator, org.a.street, reference="12345-0001")
    second, _ = register(
        org.a.coordinator, org.a.street, reference="XS-88", channel=Channel.NATIONAL_CLUE
    )
    return first, second


def test_the_upstream_source_and_the_worker_are_told_of_the_merge(
    org, client, sms_outbox, django_capture_on_commit_callbacks
):
    survivor, merged = two_work_orders(org)
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        merge = case_merge(
            actor=org.a.coordinator, merged_id=merged.pk, survivor_id=survivor.pk, reason=REASON
        )
    assert merge.moved["upstream_told"] == 1 and merge.moved["upstream_orders"] == 1
    order = UpstreamOrder.objects.get(reference="XS-88")
    assert order.case_id == survivor.pk, "the reply is now owed from the survivor"
    notice = UpstreamMessage.objects.get(order=order)
    assert notice.kind == UpstreamMessageKind.MERGE_NOTICE and notice.via == "file"
    assert survivor.reference in notice.text and merged.reference in notice.text
    assert "已并入" in notice.text, "the upstream reads Chinese"
    assert not UpstreamMessage.objects.filter(order__reference="12345-0001").exists(), (
        "the survivor's own source has nothing new to hear"
    )
    worker_texts = [m.body for m in sms_outbox if m.to == survivor.worker.mobile]
    assert any(survivor.reference in text for text in worker_texts), worker_texts

    client.force_login(org.a.coordinator)
    url = reverse("channels:replies_file", args=["csv"])
    rows = client.get(url, {"channel": Channel.NATIONAL_CLUE}).content.decode("utf-8-sig")
    line = rows.splitlines()[1].split(",")
    assert line[:3] == ["XS-88", "通知：已并入其他案件", f"已并入 {survivor.reference}"]
    page = client.get(reverse("channels:reply", args=[order.pk])).content.decode()
    assert "已告知上级来源的内容" in page and survivor.reference in page


def test_a_push_adapter_carries_the_merge_notice_after_the_commit(
    org, settings, django_capture_on_commit_callbacks
):
    FakeHotline.received, FakeHotline.down = [], False
    settings.ANXIN_UPSTREAM_ADAPTERS = {
        Channel.NATIONAL_CLUE: "tests.casework.channels.test_adapters.FakeHotline"
    }
    survivor, merged = two_work_orders(org)
    with django_capture_on_commit_callbacks(execute=True):
        case_merge(
            actor=org.a.coordinator, merged_id=merged.pk, survivor_id=survivor.pk, reason=REASON
        )
    assert [reference for reference, _text in FakeHotline.received] == ["XS-88"]
    notice = UpstreamMessage.objects.get()
    assert notice.via == "hotline_api" and notice.delivered_at is not None


def test_a_refused_merge_tells_no_upstream_source(org):
    survivor, merged = two_work_orders(org)
    with pytest.raises(ActionRefused):
        case_merge(
            actor=org.a.coordinator,
            merged_id=merged.pk,
            survivor_id=survivor.pk,
            reason=REASON,
            keep={"period_end": "merged", "period_start": "bogus"},
        )
    assert not UpstreamMessage.objects.exists()


def test_the_preview_shows_money_as_people_read_it_and_who_will_be_told(org, client):
    survivor, merged = duplicates(org)
    client.force_login(org.a.coordinator)
    url = reverse("casework:case_merge_preview", args=[merged.pk, survivor.pk])
    page = client.get(url).content.decode()
    claimed = f"{survivor.amount_claimed:,.2f}"
    assert "¥4,200.00" in page and f"¥{claimed}" in page, "both amounts as people read them"
    assert "4200.00" not in page, "no bare number"
    assert 'data-testid="upstream-told"' not in page, "no work order, no source to tell"

    survivor, merged = two_work_orders(org)
    url = reverse("casework:case_merge_preview", args=[merged.pk, survivor.pk])
    page = client.get(url).content.decode()
    told = page.split('data-testid="upstream-told">')[1].split("</p>")[0]
    assert survivor.reference in told and "1 份上级工单" in told


def test_a_verified_amount_taken_from_the_duplicate_goes_through_the_ledger(org, client):
    survivor, merged = duplicates(org)
    files = list(Evidence.objects.filter(case=merged).values_list("pk", flat=True))
    verified_amount_set(
        actor=org.a.coordinator,
        case_id=merged.pk,
        amount="3800.00",
        period_start="2026-03-01",
        period_end="2026-03-31",
        orders="三月订单 412 单",
        deductions="罚款 200 元不应扣",
        evidence_ids=files,
    )
    client.force_login(org.a.coordinator)
    preview = reverse("casework:case_merge_preview", args=[merged.pk, survivor.pk])
    assert "¥3,800.00" in client.get(preview).content.decode()

    case_merge(
        actor=org.a.coordinator,
        merged_id=merged.pk,
        survivor_id=survivor.pk,
        reason=REASON,
        keep={"amount_verified": "merged"},
    )

    survivor = Case.objects.get(pk=survivor.pk)
    assert survivor.amount_verified == Decimal("3800.00")
    row = VerifiedAmount.objects.filter(case=survivor).get()
    assert (row.orders, row.deductions) == ("三月订单 412 单", "罚款 200 元不应扣")
    assert (row.period_start.isoformat(), row.period_end.isoformat()) == (
        "2026-03-01",
        "2026-03-31",
    )
    assert sorted(row.evidence.values_list("pk", flat=True)) == sorted(files)
    assert merged.reference in row.reason and row.set_by == org.a.coordinator
    latest = survivor.history.order_by("-history_id").first()
    assert latest.amount_verified == Decimal("3800.00")
    assert latest.history_change_reason.startswith("verified amount:")
    assert CaseEvent.objects.filter(case=survivor, kind="amount_verified").exists()
    assert VerifiedAmount.objects.filter(case=merged).count() == 1, "the duplicate keeps its own"


def test_an_amount_the_ledger_refuses_refuses_the_whole_merge(org):
    survivor, merged = duplicates(org)
    verified_amount_set(
        actor=org.a.coordinator,
        case_id=survivor.pk,
        amount="3000.00",
        period_start="2026-03-01",
        period_end="2026-03-31",
    )
    with pytest.raises(ActionRefused, match="没有核定金额"):
        case_merge(
            actor=org.a.coordinator,
            merged_id=merged.pk,
            survivor_id=survivor.pk,
            reason=REASON,
            keep={"amount_verified": "merged"},
        )
    assert Case.objects.get(pk=merged.pk).state != "merged"
    assert Evidence.objects.filter(case=merged).count() == 2, "nothing moved"
