"""The file export adapter's file: every message carried by the file export (replies and merge
notices) of the cases the user sees, in the columns of each upstream system. Staff upload it to
the hotline or clue platform; it needs no configuration.

XLSX: one sheet per channel, each in its upstream's columns. CSV: one channel's columns when a
channel is asked for, otherwise every channel in one table with the channel named first."""

import csv
import io

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.channels.adapters import FILE_EXPORT, layout_for
from casework.channels.adapters_models import UpstreamMessage
from casework.channels.models import UPSTREAM_CHOICES
from casework.core.access import visible_cases_q
from casework.organisation.access import scope_for
from casework.organisation.models import User

FORMATS = ("csv", "xlsx")
CHANNELS = dict(UPSTREAM_CHOICES)


def file_messages_for_user(*, user: User, channel: str = "") -> QuerySet[UpstreamMessage]:
    """Messages the file export carries, of work orders whose case the user may see (staff)."""
    scope = scope_for(user)
    if not (scope.is_staff_member or scope.is_admin):
        return UpstreamMessage.objects.none()
    rows = UpstreamMessage.objects.filter(
        via=FILE_EXPORT,
        order__case__in=Case.objects.filter(visible_cases_q(scope)).values("pk"),
    )
    if channel:
        rows = rows.filter(order__channel=channel)
    return rows.select_related("order").order_by("order__channel", "recorded_at", "pk")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would be a formula in a spreadsheet: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _line(message: UpstreamMessage) -> list[str]:
    columns = message.columns or {}
    return [
        message.order.reference,
        message.get_kind_display(),
        columns.get("result", message.text),
        columns.get("recovered", ""),
        columns.get("satisfaction", ""),
        columns.get("case", ""),
        f"{timezone.localtime(message.recorded_at):%Y-%m-%d %H:%M}",
    ]


def _tables(user: User, channel: str) -> dict[str, list[list[str]]]:
    """Channel -> rows (headings first) in that upstream's columns."""
    tables: dict[str, list[list[str]]] = {}
    for message in file_messages_for_user(user=user, channel=channel).iterator(2000):
        key = message.order.channel
        if key not in tables:
            tables[key] = [layout_for(key).headings()]
        tables[key].append([_cell(v) for v in _line(message)])
    if channel and channel not in tables:
        tables[channel] = [layout_for(channel).headings()]
    return tables


def replies_file(*, user: User, fmt: str, channel: str = "") -> tuple[str, str, bytes]:
    """(file name, content type, body) of what the file export carries for this user."""
    channel = channel if channel in CHANNELS else ""
    tables = _tables(user, channel)
    stem = f"upstream-replies-{channel}" if channel else "upstream-replies"
    if fmt == "xlsx":
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        for key, rows in tables.items() or [("", [layout_for("").headings()])]:
            # A sheet name is at most 31 characters.
            sheet = book.add_worksheet(str(CHANNELS.get(key, _("Replies")))[:31])
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    sheet.write_string(r, c, value)
        book.close()
        return (
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            buffer.getvalue(),
        )
    text = io.StringIO()
    writer = csv.writer(text)
    if channel:
        writer.writerows(tables[channel])
    else:
        writer.writerow([_("Channel"), *layout_for("").headings()])
        for key, rows in tables.items():
            writer.writerows([str(CHANNELS[key]), *row] for row in rows[1:])
    return f"{stem}.csv", "text/csv; charset=utf-8", ("\ufeff" + text.getvalue()).encode()
