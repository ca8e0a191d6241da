from django import template

from casework.core.money import yuan_digits

register = template.Library()


@register.filter
def yuan(amount) -> str:
    """1234.5 -> "1,234.50", for a document's column headed in yuan: grouped the same way in
    every language (casework.core.money)."""
    return yuan_digits(amount)
