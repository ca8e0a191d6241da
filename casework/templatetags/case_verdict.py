"""What the case pages show of merges, splits and the worker's rating (casework.merging,
casework.ratings), read through their selectors for the reader of the page."""

from django import template

from casework.merging.selectors import case_links_for_user
from casework.ratings.forms import RatingForm
from casework.ratings.selectors import rating_panel_for

register = template.Library()


@register.simple_tag
def case_links(case, user):
    return case_links_for_user(user=user, case=case)


@register.simple_tag
def rating_panel(case, roles):
    panel = rating_panel_for(case=case, roles=roles)
    if panel.can_rate:
        rating = panel.rating
        initial = {"level": rating.level, "comment": rating.comment} if rating else {}
        panel.form = RatingForm(initial=initial)
    return panel
