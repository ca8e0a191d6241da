"""A company's risk in words, in the reader's language: each reason as a sentence with its
numbers ("Wages still owed on open complaints: ¥52,300.00 (from ¥10,000: 30 points)")."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from platforms.risk.choices import RiskLevel, Signal

MONEY_SIGNALS = {Signal.OPEN_ARREARS}
PERCENT_SIGNALS = {Signal.COMPLAINT_GROWTH}


def _number(signal: str, raw) -> str:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return str(raw)
    if signal in MONEY_SIGNALS:
        return f"¥{value:,.2f}"
    if signal in PERCENT_SIGNALS:
        return f"{value:,.0f}%"
    return f"{value:,.0f}"


def signal_name(signal: str) -> str:
    try:
        return str(Signal(signal).label)
    except ValueError:
        return signal


def level_name(level: str) -> str:
    try:
        return str(RiskLevel(level).label)
    except ValueError:
        return level


def reason_words(reason: dict) -> str:
    signal = reason.get("signal", "")
    return _("%(signal)s: %(value)s (from %(threshold)s: %(points)s points)") % {
        "signal": signal_name(signal),
        "value": _number(signal, reason.get("value", "")),
        "threshold": _number(signal, reason.get("threshold", "")),
        "points": reason.get("points", ""),
    }


def value_rows(values: dict) -> list[tuple[str, str]]:
    """Every signal with its value (zero when absent), in the order of the signal list."""
    return [
        (str(label), _number(signal, values.get(signal, 0))) for signal, label in Signal.choices
    ]
