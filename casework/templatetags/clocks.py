from django import template

from casework.selectors.clocks import due_countdown

register = template.Library()


@register.inclusion_tag("partials/due.html")
def due(due_on, provisional=False):
    """A due date with its countdown in words; the colour only repeats the words."""
    if due_on is None:
        return {"countdown": None}
    return {"countdown": due_countdown(due_on), "due_on": due_on, "provisional": provisional}
