"""Reading one line of an upstream export into a work order, or saying why it is refused.

Headers are matched by the names the hotline and clue-platform exports use (Chinese) or by
plain English keys; unknown columns are ignored. Every refusal names the field in words."""

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from casework.cases.choices import Category
from casework.core.bounds import date_out_of_bounds
from casework.core.identity import validate_id_number
from casework.intake.names import NAME_MAX_LENGTH, normalise_person_name, validate_person_name
from casework.intake.services import Complaint, PartyInput
from casework.organisation.validators import normalise_mainland_mobile
from platforms.choices import CompanyKind
from platforms.models import Company

HEADERS = {
    "reference": ("工单编号", "工单号", "编号", "线索编号", "reference"),
    "received_on": ("受理时间", "来电时间", "登记日期", "日期", "received"),
    "worker_name": ("姓名", "来电人", "反映人", "name"),
    "worker_mobile": ("联系电话", "电话", "手机", "phone"),
    "id_number": ("身份证号", "身份证号码", "id_number"),
    "employer": ("被反映单位", "被反映企业", "单位", "employer"),
    "street": ("所属街道", "街道", "street"),
    "period_start": ("欠薪开始", "开始日期", "period_start"),
    "period_end": ("欠薪结束", "结束日期", "period_end"),
    "amount": ("金额", "欠薪金额", "amount"),
    "content": ("诉求内容", "内容", "content"),
    "due_on": ("办理期限", "回复期限", "due"),
}
REQUIRED = ("reference", "received_on", "worker_name", "worker_mobile", "street", "content")
MAX_AMOUNT = Decimal("10000000")
MAX_CELL = 5000
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$")


class RowRefused(Exception):
    """Why a line is refused: every problem found on it, each in words."""

    def __init__(self, message: str | list[str]):
        self.messages = [message] if isinstance(message, str) else list(message)
        self.message = " ".join(self.messages)
        super().__init__(self.message)


def column_keys(header: list) -> list[str | None]:
    """The key of each column (None for a column we do not read)."""
    names = {alias.lower(): key for key, aliases in HEADERS.items() for alias in aliases}
    return [names.get(str(cell or "").strip().lower()) for cell in header]


def missing_columns(keys: list) -> list[str]:
    return [HEADERS[key][0] for key in REQUIRED if key not in keys]


def _text(value, label: str) -> str:
    text = "" if value is None else str(value)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t\r" for ch in text):
        raise RowRefused(_("%(field)s contains a control character.") % {"field": label})
    if len(text) > MAX_CELL:
        raise RowRefused(_("%(field)s is too long.") % {"field": label})
    return text.strip()


def parse_date(value, label: str) -> date:
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        match = _DATE.match(unicodedata.normalize("NFKC", str(value or "")).strip())
        try:
            day = date(*(int(part) for part in match.groups())) if match else None
        except ValueError:
            day = None
    if day is None or date_out_of_bounds(day):
        raise RowRefused(_("%(field)s is not a date such as 2026-03-31.") % {"field": label})
    return day


def parse_amount(value) -> Decimal:
    raw = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    raw = raw.replace(",", "").removesuffix("元").strip()
    if not raw:
        return Decimal("0.00")
    try:
        amount = Decimal(raw).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise RowRefused(_("The amount is not a number of yuan.")) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise RowRefused(_("The amount must be between 0 and 10,000,000 yuan."))
    return amount


def companies_named(names) -> dict:
    """Each name's registered company (by full or short name, the oldest if several), or
    None: one query for a whole file."""
    names = {name for name in names if name}
    found = dict.fromkeys(names)
    rows = Company.objects.filter(Q(name__in=names) | Q(short_name__in=names)).order_by("-pk")
    for company in rows:  # oldest last, so it wins
        for name in (company.name, company.short_name):
            if name in found:
                found[name] = company
    return found


def _employer(name: str, companies: dict) -> list[PartyInput]:
    if not name:
        raise RowRefused(_("Name the company the worker complains about."))
    if name not in companies:  # a file names few employers: ask once for each
        companies[name] = (
            Company.objects.filter(name=name) | Company.objects.filter(short_name=name)
        ).first()
    company = companies[name]
    if company is None:
        return [PartyInput(kind=CompanyKind.PLATFORM, name=name[:200])]
    return [PartyInput(kind=company.kind, company=company)]


class _Problems:
    """Collects a line's refusals so the preview can list all of them, not only the first."""

    def __init__(self):
        self.messages = []

    def check(self, read, *args):
        try:
            return read(*args)
        except RowRefused as refusal:
            self.messages.extend(refusal.messages)
            return None


def _texts(values: dict, problems: _Problems) -> dict:
    """The cells as trimmed text; a cell refused (control character, too long) is None."""
    texts = {}
    for key in HEADERS:
        if key in values:
            texts[key] = problems.check(_text, values.get(key), HEADERS[key][0])
    for key in REQUIRED:
        if texts.get(key, "") == "":
            problems.messages.append(_("%(field)s is empty.") % {"field": HEADERS[key][0]})
    return texts


def _dates(values: dict, texts: dict, problems: _Problems):
    def read(key, fallback=None):
        if key in texts and texts[key] is None:
            return None  # refused already as text
        if texts.get(key, "") == "":
            return fallback  # empty: said already when the field is required
        return problems.check(parse_date, values[key], HEADERS[key][0])

    received = read("received_on")
    start = read("period_start", received)
    end = read("period_end", start)
    if start and end and end < start:
        problems.messages.append(_("The end date must not be before the start date."))
    return received, start, end, read("due_on")


def _mobile(text) -> str | None:
    if not text:
        return None
    try:
        return normalise_mainland_mobile(text)
    except ValidationError:
        raise RowRefused(_("The phone number is not a mainland mobile number.")) from None


def _worker_name(text) -> str | None:
    """The name as intake takes it: a name with digits is refused here, at the preview, not
    only when the line is confirmed."""
    if not text:
        return None
    name = normalise_person_name(text)
    try:
        validate_person_name(name)
    except ValidationError as refusal:
        raise RowRefused(refusal.messages[0]) from None
    if len(name) > NAME_MAX_LENGTH:
        raise RowRefused(_("%(field)s is too long.") % {"field": HEADERS["worker_name"][0]})
    return name


def _id_number(text) -> str:
    id_number = (text or "").upper()
    if id_number:
        try:
            validate_id_number(id_number)
        except ValidationError as refusal:
            raise RowRefused(refusal.messages[0]) from None
    return id_number


def _unit(name, units_by_name: dict, servable_ids: set):
    if not name:
        return None
    unit = units_by_name.get(name)
    if unit is None:
        raise RowRefused(_("Unknown street or park: %(name)s.") % {"name": name[:50]})
    if unit.pk not in servable_ids:
        raise RowRefused(_("You do not serve %(name)s.") % {"name": unit.name})
    return unit


def read_row(values: dict, *, units_by_name: dict, servable_ids: set, companies=None) -> dict:
    """The parsed fields of one line, JSON-ready (dates as ISO text), or RowRefused with
    every problem of the line (a wrong date does not hide an unknown street)."""
    problems = _Problems()
    t = _texts(values, problems)
    received, start, end, due = _dates(values, t, problems)
    worker_name = problems.check(_worker_name, t.get("worker_name"))
    mobile = problems.check(_mobile, t.get("worker_mobile"))
    id_number = problems.check(_id_number, t.get("id_number"))
    unit = problems.check(_unit, t.get("street"), units_by_name, servable_ids)
    parties = None
    if t.get("employer", "") is not None:
        employers = {} if companies is None else companies
        parties = problems.check(_employer, t.get("employer", ""), employers)
    amount = None
    if t.get("amount", "") is not None:
        amount = problems.check(parse_amount, values.get("amount"))
    if problems.messages:
        raise RowRefused(problems.messages)
    return {
        "reference": t["reference"][:64],
        "received_on": received.isoformat(),
        "due_on": due.isoformat() if due else None,
        "worker_name": worker_name,
        "worker_mobile": mobile,
        "id_number": id_number,
        "jurisdiction_id": unit.pk,
        "employer_name": t.get("employer", "")[:200],
        "company_id": parties[0].company.pk if parties[0].company else None,
        "company_kind": parties[0].kind,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "amount": str(amount),
        "content": t["content"],
    }


def complaint_from(data: dict, *, unit, companies: dict | None = None) -> Complaint:
    """The complaint of a previewed line; `companies` (id -> Company) spares a query a line."""
    company_id = data["company_id"]
    companies = {} if companies is None else companies
    if company_id and company_id not in companies:
        companies[company_id] = Company.objects.filter(pk=company_id).first()
    company = companies.get(company_id) if company_id else None
    return Complaint(
        category=Category.PAY_ARREARS,
        description=data["content"],
        jurisdiction=unit,
        period_start=date.fromisoformat(data["period_start"]),
        period_end=date.fromisoformat(data["period_end"]),
        parties=[
            PartyInput(
                kind=data["company_kind"],
                company=company,
                name="" if company else data["employer_name"],
            )
        ],
        amount_claimed=Decimal(data["amount"]),
        worker_name=data["worker_name"],
        worker_id_number=data["id_number"],
    )
