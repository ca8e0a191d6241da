"""Exports of the ledger: claims, instalments and payments of the cases the user may see
(optionally one company's), as CSV or XLSX, in the reader's language. Rows are read in
chunks (`iterator`), CSV streams as it is written, XLSX is written with xlsxwriter's
constant_memory mode to a temporary file and streamed from it. Each export is recorded (who,
which filter, when) before any row leaves."""

import csv
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date

import xlsxwriter
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.enforcement import LedgerExport
from arrears.models import Payment
from arrears.selectors import _keys_for
from casework.cases.models import Case
from casework.core.errors import ActionRefused
from casework.organisation.models import User
from casework.queues.selectors import QueueFilters, queue_cases_for_user

KINDS = ("claims", "instalments", "payments")
FORMATS = ("csv", "xlsx")


def _cases(user, keys, company_id, queue_filters):
    if queue_filters is not None:
        cases = queue_cases_for_user(user=user, filters=queue_filters)
    else:
        cases = Case.objects.filter(keys.q())
    if company_id:
        cases = cases.filter(parties__company_id=company_id)
    return cases


def _filters_recorded(company_id, queue_filters) -> dict:
    """The filter as the export record keeps it: only what was set (a box left unticked is
    not a filter), dates as text."""
    recorded = {"company": company_id} if company_id else {}
    if queue_filters is not None:
        chosen = {k: v for k, v in asdict(queue_filters).items() if v not in (None, "", False)}
        recorded["queue"] = {
            k: v.isoformat() if isinstance(v, date) else v for k, v in chosen.items()
        }
    return recorded


def _claims(cases) -> Iterator[list]:
    yield [_("Reference"), _("Worker"), _("Status"), _("Claimed"), _("Verified"), _("Agreed"),
           _("Paid"), _("Outstanding")]  # fmt: skip
    rows = (
        cases.annotate(paid=Sum("payments__amount"))
        .values_list(
            "reference",
            "worker_name",
            "state",
            "amount_claimed",
            "amount_verified",
            "amount_agreed",
            "paid",
            "outstanding_waived",
        )
        .order_by("pk")
    )
    from casework.cases.choices import CaseState

    # Each state's words looked up once, not once a row (100,000 rows in a district).
    states = {value: str(label) for value, label in CaseState.choices}
    for ref, name, state, claimed, verified, agreed, paid, waived in rows.iterator(2000):
        owed = agreed if agreed is not None else verified if verified is not None else claimed
        outstanding = 0 if waived.strip() else max(owed - (paid or 0), 0)
        yield [ref, name, states[state], claimed, verified, agreed, paid or 0,
               outstanding]  # fmt: skip


def _instalments(cases) -> Iterator[list]:
    yield [_("Reference"), _("Worker"), _("Due on"), _("Amount"), _("Paid"), _("Missed")]
    model = Payment._meta.get_field("instalment").related_model
    rows = (
        model.objects.filter(line__case__in=cases.values("pk"), line__agreement__status="binding")
        .annotate(paid=Sum("payments__amount"))
        .values_list(
            "line__case__reference",
            "line__case__worker_name",
            "due_on",
            "amount",
            "paid",
            "missed__pk",
        )
        .order_by("pk")
    )
    for ref, name, due, amount, paid, missed in rows.iterator(2000):
        yield [ref, name, due.isoformat(), amount, paid or 0, _("yes") if missed else ""]


def _payments(cases) -> Iterator[list]:
    from arrears.choices import PaymentMethod, PaymentSource, PaymentStatus

    yield [_("Reference"), _("Worker"), _("Date paid"), _("Amount"), _("How it was paid"),
           _("Source"), _("Confirmation"), _("Note")]  # fmt: skip
    rows = (
        Payment.objects.filter(case__in=cases.values("pk"))
        .values_list(
            "case__reference",
            "case__worker_name",
            "paid_on",
            "amount",
            "method",
            "source",
            "status",
            "note",
        )
        .order_by("pk")
    )
    for ref, name, day, amount, method, source, status, note in rows.iterator(2000):
        method, source = PaymentMethod(method).label, PaymentSource(source).label
        status = PaymentStatus(status).label
        yield [ref, name, day.isoformat(), amount, str(method), str(source), str(status), note]


def ledger_export(
    *,
    user: User,
    kind: str,
    fmt: str,
    company_id: int | None = None,
    queue_filters: QueueFilters | None = None,
):
    """(file name, content type, iterator of bytes). Staff only (others: CaseNotFound);
    records the export first, with its filter: one company's cases, or the queue page's
    list with its filters (`queue_filters`), or every case the user sees."""
    keys = _keys_for(user)
    if kind not in KINDS or fmt not in FORMATS:
        raise ActionRefused(_("Choose what to export and the format."))
    LedgerExport.objects.create(
        user=user, kind=kind, fmt=fmt, filters=_filters_recorded(company_id, queue_filters)
    )
    rows = {"claims": _claims, "instalments": _instalments, "payments": _payments}[kind](
        _cases(user, keys, company_id, queue_filters)
    )
    name = f"anxin-{kind}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return name, "text/csv; charset=utf-8", _csv(rows)
    return name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx(rows)


class _Echo:
    def write(self, value):
        return value


def _csv(rows) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()  # Excel reads UTF-8 with the mark
    for row in rows:
        yield writer.writerow([_cell(v) for v in row]).encode()


# A cell starting with = + - @ would be a formula in a spreadsheet: keep it text.
_FORMULA_STARTS = frozenset("=+-@")


def _cell(value):
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return "" if value is None else value


def _xlsx(rows) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as handle:
        book = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
        sheet = book.add_worksheet()
        money = book.add_format({"num_format": "#,##0.00"})
        # The inner loop runs once a cell (800,000 for a district): the writers are looked up
        # once, and a value's type is tested before anything is compared (a Decimal compared
        # with "" goes through two failed comparisons).
        write_string, write_number = sheet.write_string, sheet.write_number
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    if value:
                        if value[0] in _FORMULA_STARTS:
                            value = "'" + value
                        write_string(r, c, value)
                elif value is not None:  # an empty cell is no cell: xlsxwriter's time goes per cell
                    write_number(r, c, float(value), money)
        book.close()
        handle.seek(0)
        while chunk := handle.read(65536):
            yield chunk
