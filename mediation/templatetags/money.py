from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(amount) -> str:
    """1234.5 -> "1,234.50": grouped the same way in every language (Django's zh-Hans
    formats do not group digits, and amounts on legal documents must be unmistakable)."""
    if amount in (None, ""):
        return ""
    return f"{Decimal(amount):,.2f}"
