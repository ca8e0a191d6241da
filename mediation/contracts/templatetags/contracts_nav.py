from django import template

from mediation.contracts.access import contract_access

register = template.Library()


@register.simple_tag
def sees_contracts(user) -> bool:
    """Whether to offer the collective contracts to this user (the pages check again)."""
    return bool(user.is_authenticated and contract_access(user).sees_any)
