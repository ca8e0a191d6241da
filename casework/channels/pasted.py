"""Pre-filling the one-screen form from a work order's pasted text.

Deliberately simple and honest: it reads labelled lines ("联系电话：138…", "工单编号：…"), the
first mainland mobile number, the first ID card number, amounts written with 元, dates written
as 2026-03-01 or 2026年3月1日, and a street or park named in the text. What it cannot read it
leaves empty for staff to fill; it never guesses a category beyond unpaid wages."""

import contextlib
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from casework.organisation.models import Unit

_LABELS = {
    "upstream_reference": r"(?:工单编号|工单号|线索编号|编号)",
    "worker_name": r"(?:来电人|反映人|姓名|联系人)",
    "employer": r"(?:被反映单位|被反映企业|被投诉单位|用人单位)",
}
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_ID = re.compile(r"(?<![0-9Xx])(\d{17}[\dXx])(?![0-9Xx])")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d{1,2})?)\s*元")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def _labelled(text: str, label: str) -> str:
    match = re.search(label + r"\s*[:：]\s*([^\n\r，,；;]+)", text)
    return match.group(1).strip()[:100] if match else ""


def _dates(text: str) -> list[date]:
    found = []
    for parts in _DATE.findall(text):
        try:
            found.append(date(*(int(p) for p in parts)))
        except ValueError:
            continue
    return found


def parse_work_order(text: str) -> dict:
    """Initial values for the form's fields, from what the text says plainly."""
    text = unicodedata.normalize("NFKC", text or "")[:20000]
    initial = {key: _labelled(text, label) for key, label in _LABELS.items()}
    initial = {key: value for key, value in initial.items() if value}
    if match := _MOBILE.search(text):
        initial["worker_mobile"] = match.group(1)
    if match := _ID.search(text):
        initial["worker_id_number"] = match.group(1).upper()
    if match := _AMOUNT.search(text):
        with contextlib.suppress(InvalidOperation):
            initial["amount_claimed"] = Decimal(match.group(1).replace(",", ""))
    days = _dates(text)
    if len(days) >= 2:
        initial["period_start"], initial["period_end"] = sorted(days[:2])
    for unit in Unit.objects.filter(kind__in=["street", "park"]).only("pk", "name"):
        if unit.name and unit.name in text:
            initial["jurisdiction"] = unit.pk
            break
    if employer := initial.pop("employer", ""):
        initial["platform_other"] = employer
    initial["description"] = text.strip()[:5000]
    initial["category"] = "pay_arrears"
    return initial
