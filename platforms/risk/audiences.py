"""Who hears of a move to red, and who sees the whole district's risk list: the supervisors of
the district itself (a team of the top unit), as for the employer registry."""

from casework.core.roles import Role
from casework.organisation.models import Membership, User


def district_supervisors() -> list[User]:
    return list(
        User.objects.filter(
            pk__in=Membership.objects.filter(
                role=Role.SUPERVISOR, team__unit__parent__isnull=True
            ).values("user_id"),
            is_active=True,
        ).order_by("pk")
    )
