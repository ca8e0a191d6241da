from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from casework.clocks.extensions import may_decide_extensions as _may_decide
from casework.clocks.models import DayUnit
from casework.clocks.selectors import due_countdown

register = template.Library()


@register.simple_tag
def due(due_on, provisional=False, unit=DayUnit.WORKING):
    """A running clock's due date with its countdown in its own unit (days or working days),
    and the provisional mark when the date lies in a year without an official calendar: the
    one rendering the case page and the queue share. The colour only repeats the words.

    Built in Python rather than an inclusion template: the queue shows one per row, and a
    template render per row was a fifth of the page's time.
    """
    if due_on is None:
        return ""
    countdown = due_countdown(due_on, unit=unit or DayUnit.WORKING)
    day = due_on.isoformat()
    mark = ""
    if provisional:
        mark = format_html(
            ' · <span class="provisional" title="{}">{}</span>',
            gettext(
                "provisional: the official calendar for that year is not published yet "
                "(Monday to Friday assumed)"
            ),
            gettext("provisional"),
        )
    return format_html(
        '<span class="due due-{}"><time datetime="{}">{}</time> · {}{}</span>',
        countdown.tone,
        day,
        day,
        countdown.words,
        mark,
    )


@register.filter
def may_decide_extensions(roles) -> bool:
    """`{% if view.roles|may_decide_extensions %}`: the same answer the service gives."""
    return _may_decide(roles)
