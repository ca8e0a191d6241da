"""The replies as a file for the upstream system: no adapter needed. Staff upload it to the
hotline or clue platform; every confirmed (sent) reply of the cases the user sees."""

import csv
import io

import xlsxwriter
from django.utils.translation import gettext as _

from casework.channels.models import ReplyStatus
from casework.channels.selectors import orders_for_user
from casework.organisation.models import User

FORMATS = ("csv", "xlsx")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would be a formula in a spreadsheet: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _rows(user: User):
    yield [_("Channel"), _("Work order number"), _("Case"), _("Reply sent"), _("Reply")]
    orders = orders_for_user(user=user, replies="all").filter(reply_status=ReplyStatus.SENT)
    for order in orders.iterator(2000):
        yield [
            order.get_channel_display(),
            order.reference,
            order.case.reference,
            order.reply_sent_at.astimezone().strftime("%Y-%m-%d %H:%M")
            if order.reply_sent_at
            else "",
            order.reply_text,
        ]


def replies_export(*, user: User, fmt: str) -> tuple[str, str, bytes]:
    """(file name, content type, body) of the sent replies the user may see."""
    rows = [[_cell(v) for v in row] for row in _rows(user)]
    if fmt == "xlsx":
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
        book.close()
        return (
            "upstream-replies.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            buffer.getvalue(),
        )
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return "upstream-replies.csv", "text/csv; charset=utf-8", ("\ufeff" + text.getvalue()).encode()
