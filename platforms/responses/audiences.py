"""Who at the bureau hears the employer: the case's assignee, or its team's coordinators when
no one holds it (then whoever takes it up sees the answer on the case)."""

from casework.cases.models import Case
from casework.core.roles import Role
from casework.organisation.models import User


def case_handlers(case: Case) -> list[User]:
    if case.assignee_id and case.assignee.is_active:
        return [case.assignee]
    return list(
        User.objects.filter(
            memberships__team_id=case.team_id,
            memberships__role__in=[Role.COORDINATOR, Role.SUPERVISOR],
            is_active=True,
        ).distinct()
    )
