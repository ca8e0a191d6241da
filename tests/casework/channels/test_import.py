"""Issue 20: a hotline operator imports a file of work orders. The preview says, line by line,
what will be created, what is a duplicate and what is refused and why; confirming creates each
case once; importing the same file again creates nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from casework.audit.models import ChainEntry
from casework.audit.verify import verify_chain
from casework.cases.choices import Channel
from casework.cases.models import Case
from casework.channels.imports import import_confirm, import_preview
from casework.channels.models import UpstreamOrder, WorkOrderImport
from casework.core.errors import ActionRefused
from casework.notifications.models import Notification
from tests.casework.channels.helpers import line, work_order_file, work_order_xlsx
from tests.factories.cases import make_case, make_org, make_platform

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]


@pytest.fixture
def org():
    return make_org()


MESSY_LINES = {
    2: "create",
    3: "create (like an app complaint)",
    4: "duplicate: the same number again",
    5: "refused: wrong date",
    6: "refused: unknown street",
    7: "refused: a phone with letters",
    8: "refused: a NUL byte",
    9: "refused: a street the coordinator does not serve",
    10: "refused: four problems at once",
    11: "refused: a name with digits",
}


def messy_lines(worker_mobile: str) -> list[list[str]]:
    return [
        line("GD-001"),
        line("GD-002", phone=worker_mobile, name="张师傅"),
        line("GD-001"),
        line("GD-003", received="2026-13-45"),
        line("GD-004", street="南山街道"),
        line("GD-005", phone="138abc00000"),
        line("GD-006", content="工资\x00没有发"),
        line("GD-007", street="西城街道"),
        line("GD-008", received="2026-02-30", street="南山街道", phone="1390000abcd",
             content="\x00"),
        line("GD-009", name="工人1"),
    ]  # fmt: skip


def messy_file(worker_mobile: str, file_format: str = "csv") -> bytes:
    build = work_order_xlsx if file_format == "xlsx" else work_order_file
    return build(messy_lines(worker_mobile))


def outcome(batch: WorkOrderImport) -> dict[int, str]:
    return {row["line"]: row["status"] for row in batch.rows}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_import_creates_each_case_once_and_refuses_each_bad_line_with_its_reason(
    org, file_format
):
    make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    raw = messy_file(org.worker.mobile, file_format)
    coordinator = org.a.coordinator
    name = f"orders.{file_format}"

    with translation.override("en"):
        preview = import_preview(
            actor=coordinator, channel=Channel.HOTLINE_12345, name=name, raw=raw
        )
    assert Case.objects.count() == 1, "the preview creates nothing"
    assert outcome(preview.batch) == {
        2: "create",
        3: "create",
        4: "duplicate",
        5: "refused",
        6: "refused",
        7: "refused",
        8: "refused",
        9: "refused",
        10: "refused",
        11: "refused",
    }
    reasons = {row["line"]: row.get("reasons", [row.get("reason")]) for row in preview.batch.rows}
    assert reasons[4] == ["Same work order number as line 2."]
    assert reasons[5] == ["受理时间 is not a date such as 2026-03-31."]
    assert reasons[6] == ["Unknown street or park: 南山街道."]
    assert reasons[7] == ["The phone number is not a mainland mobile number."]
    assert reasons[8] == ["诉求内容 contains a control character."]
    assert reasons[9] == ["You do not serve 西城街道."]
    assert reasons[10] == [
        "诉求内容 contains a control character.",
        "受理时间 is not a date such as 2026-03-31.",
        "The phone number is not a mainland mobile number.",
        "Unknown street or park: 南山街道.",
    ], "every problem of a line, not only the first"
    assert reasons[11] == ["Type the name as on the ID card, not a phone number."]
    similar = {row["line"]: row.get("similar") for row in preview.to_create}
    assert similar[3] == Case.objects.get().reference, "line 3 looks like the worker's app case"

    done = import_confirm(actor=coordinator, import_id=preview.batch.pk)
    assert done.created_count == 2
    assert Case.objects.count() == 3
    assert set(UpstreamOrder.objects.values_list("reference", flat=True)) == {"GD-001", "GD-002"}
    with pytest.raises(ActionRefused):
        import_confirm(actor=coordinator, import_id=preview.batch.pk)

    again = import_preview(actor=coordinator, channel=Channel.HOTLINE_12345, name=name, raw=raw)
    assert [row["line"] for row in again.to_create] == []
    assert {row["line"] for row in again.duplicates} == {2, 3, 4}
    assert {row["line"] for row in again.refused} == {5, 6, 7, 8, 9, 10, 11}
    assert import_confirm(actor=coordinator, import_id=again.batch.pk).created_count == 0
    assert Case.objects.count() == 3, "a second import of the same file creates nothing"


def test_imported_cases_are_filed_like_any_complaint(org):
    make_platform()
    raw = work_order_file([line("GD-100")])
    preview = import_preview(
        actor=org.a.coordinator, channel=Channel.NATIONAL_CLUE, name="clues.csv", raw=raw
    )
    import_confirm(actor=org.a.coordinator, import_id=preview.batch.pk)
    case = Case.objects.get()
    order = case.upstream_orders.get()
    assert case.channel == Channel.NATIONAL_CLUE
    assert case.team_id is not None and case.reference.startswith("BJ-")
    assert case.events.exists(), "the timeline has the filing"
    assert case.deadlines.exists(), "the acceptance clock runs"
    assert case.history.get().history_change_reason == "filed"
    assert case.parties.get().company == org.platform
    assert Notification.objects.filter(case=case, recipient=org.a.station_coordinator).exists()
    assert order.history.count() == 1
    filed = case.events.get()
    assert ChainEntry.objects.filter(table="casework_caseevent", row_id=str(filed.pk)).exists()
    assert ChainEntry.objects.filter(
        table="casework_historicalcase", row_id=str(case.history.get().history_id)
    ).exists()
    result = verify_chain()
    assert result.ok, [str(p) for p in result.problems]
    # 15 working days after Friday 2026-10-09, Saturday 10-10 being a make-up workday.
    assert order.due_on.isoformat() == "2026-10-29"


def test_the_import_pages_preview_then_create(client, org):
    client.force_login(org.a.coordinator)
    upload = SimpleUploadedFile("orders.csv", messy_file("13900009999"), "text/csv")
    response = client.post(
        reverse("channels:import"), {"channel": Channel.HOTLINE_12345, "file": upload}
    )
    batch = WorkOrderImport.objects.get()
    assert response["Location"] == reverse("channels:import_preview", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "GD-001" in page and "南山街道" in page
    four = next(row for row in batch.rows if row["line"] == 10)["reasons"]
    assert len(four) == 4 and all(reason in page for reason in four), "each reason is listed"
    assert Case.objects.count() == 0
    client.post(reverse("channels:import_preview", args=[batch.pk]))
    assert Case.objects.count() == 2


def test_someone_elses_import_is_not_found(client, org):
    preview = import_preview(
        actor=org.a.coordinator,
        channel=Channel.HOTLINE_12345,
        name="orders.csv",
        raw=work_order_file([line("GD-1")]),
    )
    client.force_login(org.b.coordinator)
    url = reverse("channels:import_preview", args=[preview.batch.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    "raw",
    [b"", b"\xff\xfe\x00garbage", b"PK\x03\x04broken zip", b"a,b,c\n1,2,3\n"],
)
def test_a_file_that_is_not_a_work_order_export_is_refused_in_words(client, org, raw):
    client.force_login(org.a.coordinator)
    upload = SimpleUploadedFile("x.csv", raw, "text/csv")
    response = client.post(
        reverse("channels:import"), {"channel": Channel.HOTLINE_12345, "file": upload}
    )
    assert response.status_code == 200
    assert WorkOrderImport.objects.count() == 0


def test_an_xlsx_export_is_read_like_a_csv(org):
    import io

    import xlsxwriter

    from tests.casework.channels.helpers import HEADER

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([HEADER, line("X-1"), line("X-2", received="昨天")]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    preview = import_preview(
        actor=org.a.coordinator,
        channel=Channel.HOTLINE_12333,
        name="orders.xlsx",
        raw=buffer.getvalue(),
    )
    assert outcome(preview.batch) == {2: "create", 3: "refused"}


def test_the_preview_reads_a_long_file_in_as_many_queries_as_a_short_one(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_case(worker=org.worker, street=org.a.street, platform=org.platform)

    def queries(count):
        lines = [line(f"Q-{count}-{n}", phone=f"139{count:04d}{n:04d}") for n in range(count)]
        lines.append(line(f"Q-{count}-same", phone=org.worker.mobile, name="张师傅"))
        with CaptureQueriesContext(connection) as captured:
            preview = import_preview(
                actor=org.a.coordinator,
                channel=Channel.HOTLINE_12345,
                name="orders.csv",
                raw=work_order_file(lines),
            )
        assert len(preview.to_create) == count + 1
        assert preview.to_create[-1]["similar"] == Case.objects.get().reference
        return len(captured)

    queries(1)  # the first import of a session loads what is cached after
    assert queries(3) == queries(60)
