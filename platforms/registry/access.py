"""Who keeps the employer registry: the district's supervisors and the administrators.

The registry is the district's, shared by every street: a street supervisor reads the companies
their cases name, but does not register or change them."""

from casework.core.roles import Role
from casework.organisation.models import Membership


def may_manage_registry(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_anxin_keeps_registry", None)
    if cached is None:
        cached = Membership.objects.filter(
            user=user, role=Role.SUPERVISOR, team__unit__parent__isnull=True
        ).exists()
        user._anxin_keeps_registry = cached
    return cached
