"""Importing a file of upstream work orders: read and check every line (nothing saved but the
preview), show what will be created, what is a duplicate and what is refused, then create on
confirmation. Idempotent on (channel, reference): a second import of a file creates nothing."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.channels.access import servable_units
from casework.channels.bulk import upstream_orders_register_many
from casework.channels.models import UpstreamChannelRule, UpstreamOrder, WorkOrderImport
from casework.channels.rows import (
    RowRefused,
    column_keys,
    companies_named,
    complaint_from,
    missing_columns,
    read_row,
)
from casework.channels.services import WorkOrder
from casework.clocks.work_calendar import load_calendar
from casework.core.errors import ActionRefused, NotFound
from casework.duplicates.finder import Probe, find_duplicates_many
from casework.organisation.models import Unit, User

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
CREATE, DUPLICATE, REFUSED = "create", "duplicate", "refused"
# Lines filed in one transaction. Each case's party makes the ledger's triggers (arrears)
# update its employer's totals, and a transaction that updates one row n times walks up to n
# versions of it each time: the party INSERT cost 2.7 ms a line at 250 and 5 ms at 500
# (EXPLAIN ANALYZE). 10,000 lines on 1M cases: 29 s at 200, 37 s at 500 (load 7).
CHUNK = 200
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass
class Preview:
    batch: WorkOrderImport
    to_create: list[dict]
    duplicates: list[dict]
    refused: list[dict]


def _csv_lines(raw: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ActionRefused(_("The file is not text in UTF-8 or GB18030."), field="file")
    return list(csv.reader(io.StringIO(text, newline="")))


def _unescaped(cell):
    """A workbook stores characters XML cannot hold (a NUL byte) as _x0000_: read them back
    as Excel shows them, so the checks see what the sender's system put there."""
    if isinstance(cell, str) and "_x" in cell:
        return _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), cell)
    return cell


def _xlsx_lines(raw: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        lines = [
            [_unescaped(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)
        ]
        book.close()
    except Exception:  # any broken workbook is the sender's file: a refusal, not a 500
        raise ActionRefused(
            _("The file could not be read as an Excel workbook."), field="file"
        ) from None
    return lines


def read_lines(*, name: str, raw: bytes) -> list[list]:
    """The file's lines as lists of cells (CSV or XLSX, told apart by content)."""
    if len(raw) > MAX_BYTES:
        raise ActionRefused(_("The file is larger than 5 MB: split it."), field="file")
    lines = _xlsx_lines(raw) if raw[:2] == b"PK" else _csv_lines(raw)
    if len(lines) > MAX_ROWS + 1:
        raise ActionRefused(_("At most 20,000 work orders in one file: split it."), field="file")
    return lines


def import_preview(*, actor: User, channel: str, name: str, raw: bytes) -> Preview:
    """Check every line and keep the outcome for confirmation. Creates no case.

    Changes: a WorkOrderImport holding the checked lines. Sends nothing."""
    units = list(servable_units(actor))
    if not units:
        raise ActionRefused(_("You serve no street or park: you cannot import work orders."))
    if channel not in dict(UpstreamOrder._meta.get_field("channel").choices):
        raise ActionRefused(_("Choose where the work orders came from."), field="channel")
    lines = read_lines(name=name, raw=raw)
    if not lines:
        raise ActionRefused(_("The file is empty."), field="file")
    keys = column_keys(lines[0])
    if missing := missing_columns(keys):
        raise ActionRefused(
            _("The file has no column %(names)s.") % {"names": "、".join(missing)}, field="file"
        )
    all_units = {u.name: u for u in Unit.objects.filter(kind__in=["street", "park"])}
    servable_ids = {u.pk for u in units}
    rows = []
    employer_column = keys.index("employer") if "employer" in keys else None
    companies = companies_named(
        str(cells[employer_column] or "").strip()
        for cells in lines[1:]
        if employer_column is not None and len(cells) > employer_column
    )
    for number, cells in enumerate(lines[1:], start=2):
        if not any(str(c or "").strip() for c in cells):
            continue
        values = {key: cell for key, cell in zip(keys, cells, strict=False) if key}
        try:
            data = read_row(
                values, units_by_name=all_units, servable_ids=servable_ids, companies=companies
            )
        except RowRefused as refusal:
            rows.append(_refused(number, refusal.messages))
            continue
        rows.append({"line": number, "status": CREATE, "data": data})
    _note_registered(rows, channel)
    _note_similar(rows)
    batch = WorkOrderImport.objects.create(
        actor=actor, channel=channel, file_name=str(name or "")[:200], rows=rows
    )
    return preview_of(batch)


def _note_registered(rows: list[dict], channel: str) -> None:
    """Numbers registered before (one query for the file's numbers) or twice in the file
    are duplicates: idempotent on (channel, reference)."""
    references = {row["data"]["reference"] for row in rows if row["status"] == CREATE}
    known = dict(
        UpstreamOrder.objects.filter(channel=channel, reference__in=references).values_list(
            "reference", "case__reference"
        )
    )
    seen = {}
    for row in rows:
        if row["status"] != CREATE:
            continue
        reference = row["data"]["reference"]
        if reference in known:
            reason = _("Already registered as %(case)s.") % {"case": known[reference]}
            row.update(status=DUPLICATE, reason=reason)
        elif reference in seen:
            reason = _("Same work order number as line %(line)s.") % {"line": seen[reference]}
            row.update(status=DUPLICATE, reason=reason)
        else:
            seen[reference] = row["line"]


def _refused(number: int, reasons: list[str]) -> dict:
    """A refused line: all its reasons (the preview lists each), and them as one text."""
    return {"line": number, "status": REFUSED, "reason": " ".join(reasons), "reasons": reasons}


def _note_similar(rows: list[dict]) -> None:
    """An order of a worker who already has the same grievance open is still created (the
    upstream expects its own reply), but the preview says which case it looks like, so staff
    can merge them after. Searched for the whole file at once (one query per 1,000 lines)."""
    to_create = [row for row in rows if row["status"] == CREATE]
    probes = [
        Probe(
            phone=row["data"]["worker_mobile"],
            id_number=row["data"]["id_number"],
            company_ids=frozenset([row["data"]["company_id"]] if row["data"]["company_id"] else []),
            period_start=date.fromisoformat(row["data"]["period_start"]),
            period_end=date.fromisoformat(row["data"]["period_end"]),
        )
        for row in to_create
    ]
    for row, found in zip(to_create, find_duplicates_many(probes), strict=True):
        if found is not None:
            row["similar"] = found.case.reference


def preview_of(batch: WorkOrderImport) -> Preview:
    rows = batch.rows
    return Preview(
        batch=batch,
        to_create=[r for r in rows if r["status"] == CREATE],
        duplicates=[r for r in rows if r["status"] == DUPLICATE],
        refused=[r for r in rows if r["status"] == REFUSED],
    )


def import_get_for_user(*, user: User, import_id) -> WorkOrderImport:
    batch = WorkOrderImport.objects.filter(pk=import_id, actor=user).first()
    if batch is None:
        raise NotFound
    return batch


def _order_of(batch, row, units, companies) -> WorkOrder:
    data = row["data"]
    unit = units.get(data["jurisdiction_id"])
    if unit is None:
        raise ActionRefused(_("You no longer serve this street or park."))
    return WorkOrder(
        channel=batch.channel,
        reference=data["reference"],
        received_on=date.fromisoformat(data["received_on"]),
        due_on=date.fromisoformat(data["due_on"]) if data["due_on"] else None,
        worker_mobile=data["worker_mobile"],
        worker_name=data["worker_name"],
        complaint=complaint_from(data, unit=unit, companies=companies),
        text=data["content"],
    )


def _create_chunk(actor, batch, rows, units, rules, calendar) -> int:
    """Create one chunk of previewed lines; how many cases were created. Refusals and
    numbers registered meanwhile are kept on the rows."""
    orders, kept, companies = [], [], {}
    for row in rows:
        try:
            orders.append(_order_of(batch, row, units, companies))
            kept.append(row)
        except ActionRefused as refusal:
            row.update(status=REFUSED, reason=refusal.message, reasons=[refusal.message])
    outcomes = upstream_orders_register_many(
        actor=actor, orders=orders, rules=rules, calendar=calendar
    )
    created = 0
    for row, outcome in zip(kept, outcomes, strict=True):
        if outcome.case is None:
            row.update(status=REFUSED, reason=outcome.refusal, reasons=[outcome.refusal])
            continue
        row["case"] = outcome.case.reference
        row["case_id"] = outcome.case.pk
        if outcome.created:
            created += 1
        else:
            reason = _("Already registered as %(case)s.") % {"case": outcome.case.reference}
            row.update(status=DUPLICATE, reason=reason)
    return created


def import_confirm(*, actor: User, import_id) -> WorkOrderImport:
    """Create the previewed cases. A second confirmation creates nothing (the batch is
    marked), and every order is idempotent on its reference anyway.

    Changes: the cases and work orders (through upstream_order_register); lines that fail now
    (someone registered the number meanwhile, a team was removed) become refusals. Sends what
    filing sends, per case, after commit."""
    with transaction.atomic():
        batch = (
            WorkOrderImport.objects.select_for_update().filter(pk=import_id, actor=actor).first()
        )
        if batch is None:
            raise NotFound
        if batch.confirmed_at is not None:
            raise ActionRefused(_("This import was confirmed already."))
        batch.confirmed_at = timezone.now()
        batch.save(update_fields=["confirmed_at"])
    units = {u.pk: u for u in servable_units(actor)}
    rules = {rule.channel: rule for rule in UpstreamChannelRule.objects.all()}
    calendar = load_calendar()
    created = 0
    rows = [row for row in batch.rows if row["status"] == CREATE]
    for start in range(0, len(rows), CHUNK):
        # Filed set by set (casework/intake/bulk.py); a chunk is one transaction, short
        # enough not to hold the reference counter (every filing waits for it) for long.
        created += _create_chunk(actor, batch, rows[start : start + CHUNK], units, rules, calendar)
    batch.created_count = created
    batch.save(update_fields=["rows", "created_count"])
    return batch
