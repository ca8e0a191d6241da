from django import template

from casework.governance.selectors import may_see_governance

register = template.Library()


@register.simple_tag
def sees_governance(user) -> bool:
    return may_see_governance(user)
