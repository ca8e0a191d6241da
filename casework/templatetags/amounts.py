"""`{% load amounts %}`: `{{ amount|money }}` -> ¥3,260.00, the same in every language
(casework.core.money); `{{ amount|money_digits }}` -> 3,260.00 for a column headed in yuan."""

from django import template

from casework.core import money as amounts

register = template.Library()

register.filter("money", amounts.yuan)
register.filter("money_digits", amounts.yuan_digits)
