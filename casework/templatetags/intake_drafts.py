"""{% unfinished_complaint as draft %}: the worker's saved, unsent complaint, for My cases."""

from django import template

from casework.intake.models import IntakeDraft

register = template.Library()


@register.simple_tag(takes_context=True)
def unfinished_complaint(context):
    user = context["request"].user
    if not (user.is_authenticated and user.is_worker):
        return None
    return IntakeDraft.objects.filter(owner=user).only("step").first()
