"""How an amount of money reads, in every language and on every medium (pages, SMS, PDFs):
¥3,260.00. Django's zh-Hans formats do not group digits and its English ones do, so one
page said 3260.00 and the next 3,260.00; an amount a worker reads must be unmistakable."""

from decimal import Decimal, InvalidOperation


def yuan_digits(amount) -> str:
    """1234.5 -> "1,234.50" (for tables whose heading says the unit); "" for no amount."""
    if amount in (None, ""):
        return ""
    try:
        return f"{Decimal(amount):,.2f}"
    except (InvalidOperation, ValueError, TypeError):
        return str(amount)


def yuan(amount) -> str:
    """1234.5 -> "¥1,234.50", -3 -> "-¥3.00"; "" for no amount."""
    digits = yuan_digits(amount)
    if not digits or digits[0] not in "-0123456789":
        return digits
    if digits.startswith("-"):
        return f"-¥{digits[1:]}"
    return f"¥{digits}"
