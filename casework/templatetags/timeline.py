"""Timeline entries built in Python: the case page shows twenty or more, and an included
template per entry was a large share of the page's time."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html

from casework.privacy.masking import mask_name

register = template.Library()


@register.simple_tag
def timeline_event(event, staff_view: bool = False):
    actor = ""
    if staff_view and event.actor_id:
        # A worker's name is personal data: staff read it masked here (casework/privacy).
        name = mask_name(event.actor.name) if event.actor.is_worker else event.actor.name
        actor = format_html(' <span class="muted">· {}</span>', name)
    reason = ""
    if getattr(event, "visible_reason", ""):
        reason = format_html(
            '<blockquote class="event-reason">{}</blockquote>',
            linebreaksbr(event.visible_reason, autoescape=True),
        )
    return format_html(
        '<li class="event event-{}"><time>{}</time> {}{}{}</li>',
        event.kind,
        timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"),
        event.headline,
        actor,
        reason,
    )
