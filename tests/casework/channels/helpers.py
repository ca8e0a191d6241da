"""Builders for the channels' tests: a work order file, a registered work order."""

import csv
import io
from datetime import date
from decimal import Decimal

from casework.cases.choices import Channel
from casework.channels.services import WorkOrder, upstream_order_register
from tests.factories.cases import make_complaint

HEADER = [
    "工单编号",
    "受理时间",
    "姓名",
    "联系电话",
    "身份证号",
    "被反映单位",
    "所属街道",
    "欠薪开始",
    "欠薪结束",
    "金额",
    "诉求内容",
]


def work_order_file(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *rows])
    return text.getvalue().encode("utf-8")


def work_order_xlsx(rows: list[list[str]]) -> bytes:
    """The same lines as an Excel export (every cell text, as the hotline system writes)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([HEADER, *rows]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def line(reference, *, street="东城街道", phone="13900001111", name="王师傅", **fields):
    return [
        reference,
        fields.get("received", "2026-10-09"),
        name,
        phone,
        fields.get("id_number", ""),
        fields.get("employer", "速达外卖"),
        street,
        fields.get("start", "2026-08-01"),
        fields.get("end", "2026-08-31"),
        fields.get("amount", "4200"),
        fields.get("content", "八月份的工资一直没有发放，多次催要未果。"),
    ]


def register(actor, street, *, reference="12345-0001", channel=Channel.HOTLINE_12345, **fields):
    order = WorkOrder(
        channel=channel,
        reference=reference,
        received_on=fields.pop("received_on", date(2026, 10, 9)),
        worker_mobile=fields.pop("mobile", "13900002222"),
        worker_name=fields.pop("name", "赵师傅"),
        complaint=make_complaint(street=street, amount_claimed=Decimal("3000.00"), **fields),
        text="来电人反映八月工资被拖欠。",
    )
    return upstream_order_register(actor=actor, order=order)
