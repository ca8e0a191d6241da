"""Record-level access: which cases a user may see, and which roles they hold on one case.

Computed once per user object (memberships and the unit tree are small) and reused by every
selector and service in the request.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from casework.core.roles import Role


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


def case_visible(scope: AccessScope, case) -> bool:
    """visible_cases_q for one case held in memory: whether the scope may see it, without a
    query (a supervisor's answer may read `case.team` when it is not loaded)."""
    if scope.is_admin:
        return True
    if scope.is_worker and case.worker_id == scope.user_id:
        return True
    if scope.team_roles and (
        case.team_id in scope.team_roles or case.jurisdiction_id in scope.covered_roles
    ):
        return True
    supervised = scope.supervised_unit_ids
    return bool(supervised) and (
        case.jurisdiction_id in supervised
        or (case.team_id is not None and case.team.unit_id in supervised)
    )


def case_roles(scope: AccessScope, case) -> frozenset[Role]:
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


@dataclass(frozen=True)
class CaseKeys:
    """What a user may see (casework.access.visible_cases_q) as the keys every case carries:
    all cases, or those of these streets and parks, of these teams, or of this worker.

    Rollups keyed by street and team can be filtered with it, and queries avoid the join to
    the team that visible_cases_q needs for a supervisor's units."""

    everything: bool
    jurisdiction_ids: frozenset[int] = frozenset()
    team_ids: frozenset[int] = frozenset()
    worker_id: int | None = None

    def q(self, prefix: str = "") -> Q:
        """A filter for a model whose `<prefix>jurisdiction_id`... are the case's keys."""
        if self.everything:
            return Q()
        keys = Q(**{f"{prefix}jurisdiction_id__in": sorted(self.jurisdiction_ids)})
        if self.team_ids:
            keys |= Q(**{f"{prefix}team_id__in": sorted(self.team_ids)})
        if self.worker_id is not None:
            keys |= Q(**{f"{prefix}worker_id": self.worker_id})
        return keys
