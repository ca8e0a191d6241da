from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

SELECTED = mark_safe(" selected")

register = template.Library()


@register.simple_tag
def select_options(field):
    """The <option>s of a choice field in one Python loop (Django's widget renders a template
    per option, which cost the queue's filter panel more than its 25 rows)."""
    current = "" if field.value() is None else str(field.value())
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, SELECTED if str(value) == current else "", label)
            for value, label in field.field.choices
        ),
    )
