"""Issue 20, tried as a hotline operator and a coordinator would: 50 work orders imported from
a file in one go, three of them duplicates of complaints the workers had filed in the app; the
three merged into the app complaints (their upstream sources told, the workers too); replies
drafted, confirmed and exported for the cases that concluded. Through the pages, on the real
services; the browser walkthrough is another test's."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.cases.choices import CaseState, Channel
from casework.cases.models import Case
from casework.channels.adapters_models import UpstreamMessage
from casework.channels.models import ReplyStatus, UpstreamOrder, WorkOrderImport
from tests.casework.channels.helpers import line, work_order_file
from tests.factories.cases import make_case, make_case_worker, make_org, put_case_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]
DUPLICATE_LINES = (7, 23, 41)  # the file's data lines that repeat an app complaint


@pytest.fixture
def org():
    return make_org()


def worker_name(n: int) -> str:
    # A name with digits is refused (a phone number typed as a name): 赵甲一, 赵乙一, ...
    return "赵" + "甲乙丙丁戊己庚辛壬癸"[n % 10] + "一二三四五六"[n // 10]


def the_file(app_workers) -> bytes:
    rows = []
    for n in range(1, 51):
        if n in DUPLICATE_LINES:
            worker = app_workers[DUPLICATE_LINES.index(n)]
            rows.append(line(f"12345-{n:04d}", phone=worker.mobile, name=worker.name))
        else:
            rows.append(line(f"12345-{n:04d}", phone=f"1391111{n:04d}", name=worker_name(n)))
    return work_order_file(rows)


def test_fifty_work_orders_three_duplicates_merged_replies_for_the_concluded(
    org, client, sms_outbox, django_capture_on_commit_callbacks
):
    # Three workers had already complained in the app.
    app_workers = [make_case_worker(name) for name in ("王一", "王二", "王三")]
    app_cases = [
        make_case(worker=w, street=org.a.street, platform=org.platform) for w in app_workers
    ]

    # The hotline operator imports the day's export in one go.
    operator = org.a.coordinator
    client.force_login(operator)
    upload = SimpleUploadedFile("12345-20261012.csv", the_file(app_workers), "text/csv")
    response = client.post(
        reverse("channels:import"), {"channel": Channel.HOTLINE_12345, "file": upload}
    )
    batch = WorkOrderImport.objects.get()
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert Case.objects.count() == 3, "the preview creates nothing"

    for case in app_cases:
        assert case.reference in preview, "the preview names the app complaint each repeats"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("channels:import_preview", args=[batch.pk]))
    assert UpstreamOrder.objects.count() == 50 and Case.objects.count() == 53
    assert WorkOrderImport.objects.get().created_count == 50

    # The coordinator merges each duplicate into the app complaint, on the merge pages.
    sms_outbox.clear()
    for n, survivor in zip(DUPLICATE_LINES, app_cases, strict=True):
        imported = UpstreamOrder.objects.get(reference=f"12345-{n:04d}").case
        assert imported.worker_id == survivor.worker_id
        start = client.get(reverse("casework:case_merge", args=[survivor.pk])).content.decode()
        assert imported.reference in start, "the worker's other open case is offered"
        url = reverse("casework:case_merge_preview", args=[imported.pk, survivor.pk])
        page = client.get(url).content.decode()
        assert "¥4,200.00" in page, "the amounts read as money"
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(
                url,
                {
                    "expected_state": "submitted",
                    "reason": "12345工单与APP投诉为同一事项",
                    "keep_amount_claimed": "merged",
                },
            )
        assert done.status_code == 302, page
        assert Case.objects.get(pk=imported.pk).state == CaseState.MERGED
        order = UpstreamOrder.objects.get(reference=f"12345-{n:04d}")
        assert order.case_id == survivor.pk, "the reply is owed from the app complaint"
        notice = UpstreamMessage.objects.get(order=order, kind="merge_notice")
        assert survivor.reference in notice.text
        texts = [m.body for m in sms_outbox if m.to == survivor.worker.mobile]
        assert any(survivor.reference in t for t in texts), "the worker is told"

    # Some cases conclude: four imported ones and one app complaint holding a work order.
    supervisor = org.supervisor
    concluded = [UpstreamOrder.objects.get(reference=f"12345-{n:04d}").case for n in (1, 2, 3, 4)]
    concluded.append(app_cases[0])
    for case in concluded:
        put_case_in_state(case, "resolved", supervisor)

    # The coordinator drafts and confirms the replies of the concluded ones.
    owed_page = client.get(reverse("channels:orders")).content.decode()
    assert "12345-0050" in owed_page
    for case in concluded:
        order = UpstreamOrder.objects.get(case=case)
        url = reverse("channels:reply", args=[order.pk])
        client.post(url, {"draft": "1"})
        draft = UpstreamOrder.objects.get(pk=order.pk)
        assert draft.reply_status == ReplyStatus.DRAFTED
        assert "处理结果：" in draft.reply_text and case.reference in draft.reply_text
        client.post(url, {"text": draft.reply_text + "\n已电话回访来电人。"})
        assert UpstreamOrder.objects.get(pk=order.pk).reply_status == ReplyStatus.SENT
    still_open = UpstreamOrder.objects.get(reference="12345-0010")
    client.post(reverse("channels:reply", args=[still_open.pk]), {"draft": "1"})
    assert UpstreamOrder.objects.get(pk=still_open.pk).reply_status == ReplyStatus.OWED, (
        "an open case's reply waits for it to conclude"
    )

    # The replies file: five replies and three merge notices, in the hotline's columns.
    response = client.get(
        reverse("channels:replies_file", args=["xlsx"]), {"channel": Channel.HOTLINE_12345}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    kinds = sorted(row[1] for row in rows)
    assert kinds == ["回复"] * 5 + ["通知：已并入其他案件"] * 3
    assert sheet["C1"].value == "处理结果" and sheet["D1"].value == "追回金额"
    replied = {row[0] for row in rows if row[1] == "回复"}
    assert replied == {"12345-0001", "12345-0002", "12345-0003", "12345-0004", "12345-0007"}
    assert UpstreamOrder.objects.exclude(reply_status=ReplyStatus.SENT).count() == 45
