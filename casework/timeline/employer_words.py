"""An employer's answer to a complaint in the reader's words: one text for the worker's
notification and text message, the coordinator's notification and the timeline."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from casework.core.money import yuan


def _money(raw) -> str:
    try:
        return yuan(Decimal(raw)) if raw else ""
    except (InvalidOperation, TypeError):
        return ""


def employer_response_words(p: dict) -> str:
    """An employer's answer in plain words, for the worker and the coordinator alike."""
    answer = p.get("answer")
    values = {
        "company": p.get("company", ""),
        "reference": p.get("reference", ""),
        "amount": _money(p.get("amount")),
        "date": p.get("pay_by", ""),
        "n": p.get("instalments", ""),
    }
    if answer == "accept":
        text = _(
            "%(company)s answered complaint %(reference)s: it accepts and offers to pay "
            "%(amount)s by %(date)s."
        )
    elif answer == "plan":
        text = _(
            "%(company)s answered complaint %(reference)s: it offers to pay %(amount)s in "
            "%(n)s instalments, the last by %(date)s."
        )
    else:
        text = _(
            "%(company)s answered complaint %(reference)s: it disputes the complaint. The "
            "bureau will check the facts and tell you what happens next."
        )
    text = text % values
    if p.get("late"):
        text += " " + _("(The answer came after the deadline.)")
    return text
