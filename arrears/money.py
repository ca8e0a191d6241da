"""Amounts as people type them, checked: yuan with at most two decimals, within bounds; and
amounts split into shares to the fen (四舍五入), the last share taking what rounding left."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# Ten million yuan: far above any one worker's wages; 1e12 is a slip, not a payment.
MAX_AMOUNT = Decimal("10000000.00")


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """`value` (text or a number) as a Decimal of yuan, or ActionRefused saying what is wrong."""
    if isinstance(value, float):  # never money: its digits are not what was typed
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if value is not None else None
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ActionRefused(_("Give the amount in yuan, like 1200.50."), field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ActionRefused(
            _("The amount must be zero or more.")
            if allow_zero
            else _("The amount must be more than zero."),
            field=field,
        )
    if amount > MAX_AMOUNT:
        raise ActionRefused(
            _("The amount must be at most ¥%(max)s.") % {"max": f"{MAX_AMOUNT:,.2f}"}, field=field
        )
    if amount != amount.quantize(FEN):
        raise ActionRefused(_("Amounts have at most two decimals (fen)."), field=field)
    return amount.quantize(FEN)


def split_shares(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`total` split in proportion to `weights`, each share rounded to the fen half up, the
    last share taking the remainder so that the shares add up to `total` exactly."""
    if not weights:
        return []
    whole = sum(weights, Decimal(0))
    if whole <= 0:
        raise ValueError("weights must add up to more than zero")
    shares = [(total * w / whole).quantize(FEN, rounding=ROUND_HALF_UP) for w in weights[:-1]]
    shares.append(total - sum(shares, ZERO))
    return shares
