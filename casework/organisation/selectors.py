"""Reads the views need. Each takes the user it reads for."""

from django.db.models import QuerySet

from casework.core.roles import Role
from casework.organisation.models import Membership, User


def user_roles(*, user: User) -> set[Role]:
    """Every role the user holds: from memberships, representations and the account itself."""
    if not user.is_authenticated:
        return set()
    roles = {Role(role) for role in user.memberships.values_list("role", flat=True)}
    if user.is_worker:
        roles.add(Role.WORKER)
    if user.representations.exists():
        roles.add(Role.PLATFORM_REPRESENTATIVE)
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """The user's own memberships, with team and unit, for their home page."""
    return (
        Membership.objects.filter(user=user)
        .select_related("team__unit__parent")
        .prefetch_related("team__covers")
        .order_by("team__unit__name", "team__name", "role")
    )


def representation_list_for_user(*, user: User) -> list:
    """The companies the user answers for, as a platform representative."""
    return list(user.representations.select_related("company__parent").order_by("company__name"))
