"""Where a staff member may register upstream work orders: the streets and parks they serve."""

from django.db.models import QuerySet

from casework.organisation.access import scope_for
from casework.organisation.choices import UnitKind
from casework.organisation.models import Unit, User


def servable_units(user: User) -> QuerySet[Unit]:
    """Streets and parks the user's teams cover or the user supervises (all, for an admin)."""
    units = Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.PARK]).order_by("name")
    scope = scope_for(user)
    if scope.is_admin:
        return units
    return units.filter(pk__in=set(scope.covered_roles) | set(scope.supervised_unit_ids))


def may_register(user: User) -> bool:
    return servable_units(user).exists() if scope_for(user).is_staff_member else False
