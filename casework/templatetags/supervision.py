"""Whether to offer the supervisor dashboard in the navigation."""

from django import template

from casework.core.roles import Role
from casework.organisation.models import Membership

register = template.Library()


@register.filter
def supervises(user) -> bool:
    """Supervisors (and administrators) see the dashboard link.

    Free on the pages that already worked out the user's scope (the queue, case pages); one
    small query elsewhere, asked once per request."""
    if not getattr(user, "is_authenticated", False) or user.is_worker:
        return False
    if user.is_superuser:
        return True
    scope = getattr(user, "_anxin_scope", None)
    if scope is not None:
        return bool(scope.supervised_unit_ids)
    known = getattr(user, "_anxin_supervises", None)
    if known is None:
        known = Membership.objects.filter(user=user, role=Role.SUPERVISOR).exists()
        user._anxin_supervises = known
    return known
