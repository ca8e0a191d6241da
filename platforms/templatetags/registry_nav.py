from django import template

from platforms.registry.access import may_manage_registry

register = template.Library()


@register.simple_tag
def keeps_registry(user) -> bool:
    return may_manage_registry(user)
