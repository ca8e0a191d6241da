"""Record-level access: which cases a user may see, and which roles they hold on one case.

Computed once per user object (memberships and the unit tree are small) and reused by every
selector and service in the request.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from casework.choices import Role
from casework.models import Case, Membership, Unit, User


@dataclass(frozen=True)
class AccessScope:
    user_id: int | None
    is_admin: bool = False
    is_worker: bool = False
    # team id -> roles held in that team (supervisor excluded)
    team_roles: dict[int, frozenset[Role]] = field(default_factory=dict)
    # jurisdiction (street/park) id -> roles held through a team covering it
    covered_roles: dict[int, frozenset[Role]] = field(default_factory=dict)
    # units a supervisor oversees: their team's unit, everything below it, and what it covers
    supervised_unit_ids: frozenset[int] = frozenset()

    @property
    def is_staff_member(self) -> bool:
        return bool(self.team_roles or self.supervised_unit_ids)


def unit_descendants(unit_ids: set[int]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, frontier = set(unit_ids), list(unit_ids)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def scope_for(user: User) -> AccessScope:
    cached = getattr(user, "_anxin_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return AccessScope(user_id=None)
    team_roles: dict[int, set[Role]] = {}
    covered_roles: dict[int, set[Role]] = {}
    supervised_roots: set[int] = set()
    memberships = Membership.objects.filter(user=user).select_related("team")
    for membership in memberships.prefetch_related("team__covers"):
        role = Role(membership.role)
        covers = [unit.pk for unit in membership.team.covers.all()]
        if role == Role.SUPERVISOR:
            supervised_roots.add(membership.team.unit_id)
            supervised_roots.update(covers)
            continue
        team_roles.setdefault(membership.team_id, set()).add(role)
        for unit_id in covers:
            covered_roles.setdefault(unit_id, set()).add(role)
    scope = AccessScope(
        user_id=user.pk,
        is_admin=user.is_superuser,
        is_worker=user.is_worker,
        team_roles={k: frozenset(v) for k, v in team_roles.items()},
        covered_roles={k: frozenset(v) for k, v in covered_roles.items()},
        supervised_unit_ids=frozenset(unit_descendants(supervised_roots))
        if supervised_roots
        else frozenset(),
    )
    user._anxin_scope = scope
    return scope


def visible_cases_q(scope: AccessScope) -> Q:
    """A filter on Case for what the scope may see (nothing, for an anonymous scope)."""
    if scope.is_admin:
        return Q()
    visible = Q(pk__in=[])
    if scope.is_worker:
        visible |= Q(worker_id=scope.user_id)
    if scope.team_roles:
        visible |= Q(team_id__in=scope.team_roles) | Q(jurisdiction_id__in=scope.covered_roles)
    if scope.supervised_unit_ids:
        visible |= Q(jurisdiction_id__in=scope.supervised_unit_ids) | Q(
            team__unit_id__in=scope.supervised_unit_ids
        )
    return visible


def case_roles(scope: AccessScope, case: Case) -> frozenset[Role]:
    """The roles the user holds on this particular case."""
    roles: set[Role] = set()
    if scope.user_id is not None and case.worker_id == scope.user_id:
        roles.add(Role.WORKER)
    roles |= scope.team_roles.get(case.team_id, frozenset())
    roles |= scope.covered_roles.get(case.jurisdiction_id, frozenset())
    if case.jurisdiction_id in scope.supervised_unit_ids or (
        case.team_id and case.team.unit_id in scope.supervised_unit_ids
    ):
        roles.add(Role.SUPERVISOR)
    if scope.is_admin:
        roles.add(Role.ADMIN)
    return frozenset(roles)
