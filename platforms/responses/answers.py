"""What an employer may answer, checked the same way whoever types it (a representative on
the portal or through the API, or staff from the employer's word): amounts in yuan to the fen,
dates within a year, a plan of two or more instalments in date order, text without control
characters."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.core.bounds import MAX_DATE
from casework.core.errors import ActionRefused
from platforms.choices import ResponseKind

MAX_AMOUNT = Decimal("10000000.00")
MAX_INSTALMENTS = 24
# How far ahead an employer may promise to pay: beyond a year it is no answer to arrears.
LONGEST_PROMISE_DAYS = 366
MAX_TEXT = 4000


def _clean_amount(amount, field: str = "amount") -> Decimal:
    if amount is None or amount == "":
        raise ActionRefused(_("Enter the amount you will pay."), field=field)
    if not isinstance(amount, Decimal):
        raise ActionRefused(_("Enter an amount in yuan, e.g. 3260.00."), field=field)
    if not amount.is_finite() or amount <= 0:
        raise ActionRefused(_("The amount must be more than zero."), field=field)
    if amount > MAX_AMOUNT:
        raise ActionRefused(_("That amount is too large for one complaint."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ActionRefused(_("Amounts have at most two decimal places (fen)."), field=field)
    return amount.quantize(Decimal("0.01"))


def _clean_pay_by(day, field: str = "pay_by") -> date:
    if not isinstance(day, date):
        raise ActionRefused(_("Enter the date you will pay by."), field=field)
    today = timezone.localdate()
    if day < today:
        raise ActionRefused(_("The payment date cannot be in the past."), field=field)
    if (day - today).days > LONGEST_PROMISE_DAYS or day > MAX_DATE:
        raise ActionRefused(_("Promise a payment date within one year."), field=field)
    return day


def clean_text(text: str, field: str, *, required: bool, message: str = "") -> str:
    text = (text or "").strip()
    if required and not text:
        raise ActionRefused(message or _("Please fill in this field."), field=field)
    if len(text) > MAX_TEXT:
        raise ActionRefused(
            _("Please keep this under %(n)d characters.") % {"n": MAX_TEXT}, field=field
        )
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text) or "\x7f" in text:
        raise ActionRefused(_("This text contains characters that cannot be stored."), field=field)
    return text


def _clean_plan(instalments: Iterable) -> list[tuple[date, Decimal]]:
    rows = [
        (_clean_pay_by(day, "instalments"), _clean_amount(amount, "instalments"))
        for day, amount in instalments
    ]
    if len(rows) < 2:
        raise ActionRefused(
            _("A payment plan has at least two instalments; otherwise accept with one date."),
            field="instalments",
        )
    if len(rows) > MAX_INSTALMENTS:
        raise ActionRefused(
            _("A payment plan has at most %(n)d instalments.") % {"n": MAX_INSTALMENTS},
            field="instalments",
        )
    days = [day for day, _amount in rows]
    if days != sorted(days) or len(set(days)) != len(days):
        raise ActionRefused(
            _("Give the instalments in date order, one per date."), field="instalments"
        )
    if sum(amount for _day, amount in rows) > MAX_AMOUNT:
        raise ActionRefused(_("That amount is too large for one complaint."), field="instalments")
    return rows


@dataclass(frozen=True)
class Answer:
    kind: str
    amount: Decimal | None
    pay_by: date | None
    reasons: str
    plan: list[tuple[date, Decimal]] = field(default_factory=list)


def clean_answer(
    *, kind, amount=None, pay_by=None, reasons="", instalments: Iterable = ()
) -> Answer:
    if kind not in ResponseKind.values:
        raise ActionRefused(_("Choose how you answer."), field="kind")
    reasons = clean_text(
        reasons,
        "reasons",
        required=kind == ResponseKind.DISPUTE,
        message=_("Say why you dispute the complaint."),
    )
    if kind == ResponseKind.ACCEPT:
        return Answer(kind, _clean_amount(amount), _clean_pay_by(pay_by), reasons)
    if kind == ResponseKind.PLAN:
        plan = _clean_plan(instalments)
        return Answer(kind, sum(a for _d, a in plan), plan[-1][0], reasons, plan)
    return Answer(kind, None, None, reasons)
