"""Reads of complaint groups, for one user: the one door through which a group's id, from a
URL or a form, becomes a group."""

from casework.cases.models import Case
from casework.core.access import AccessScope, visible_cases_q
from casework.core.errors import GroupNotFound
from casework.groups.models import CaseGroup
from casework.organisation.access import scope_for
from casework.organisation.models import User


def group_hides_cases_from(*, scope: AccessScope, group_id: int) -> bool:
    """Whether the group holds a case the scope may not see.

    A group is seen whole or not at all: acting on it (assigning, mediating, adding to it)
    acts on every case in it, so someone who cannot see all of them cannot see the group.
    """
    return Case.objects.filter(group_id=group_id).exclude(visible_cases_q(scope)).exists()


def group_get_for_user(*, user: User, group_id, lock: bool = False) -> tuple[CaseGroup, list[Case]]:
    """The group and its cases, for staff who see every one of its cases (with `lock`, the
    group row is locked for the transaction). GroupNotFound otherwise, also for workers: the
    group page names staff, and a worker follows their own case."""
    scope = scope_for(user)
    if not (scope.is_admin or scope.is_staff_member):
        raise GroupNotFound
    groups = CaseGroup.objects.select_related("employer")
    if lock:
        groups = groups.select_for_update(of=("self",))
    try:
        group = groups.get(pk=int(group_id))
    except (CaseGroup.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise GroupNotFound from exc
    if group_hides_cases_from(scope=scope, group_id=group.pk):
        raise GroupNotFound
    cases = list(
        Case.objects.filter(group=group)
        .select_related("assignee", "jurisdiction")
        .order_by("created_at", "pk")
    )
    if not cases:
        raise GroupNotFound
    return group, cases
