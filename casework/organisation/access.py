"""Who may see what: a user's access scope, computed from their memberships and the unit tree."""

from casework.core.access import AccessScope, CaseKeys
from casework.core.roles import Role
from casework.organisation import principal
from casework.organisation.models import Membership, Team, Unit, User


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
    # The signed-in user's scope is kept between requests while their tokens stand
    # (casework/organisation/principal.py); any other user object computes it here.
    stamp = principal.scope_stamp(user)
    if stamp is not None:
        scope = principal.scopes.get(user.pk, stamp)
        if scope is not principal.MISSING:
            user._anxin_scope = scope
            return scope
    scope = _computed_scope(user)
    if stamp is not None:
        principal.scopes.put(user.pk, stamp, scope)
    user._anxin_scope = scope
    return scope


def _computed_scope(user: User) -> AccessScope:
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
    return AccessScope(
        user_id=user.pk,
        is_admin=user.is_superuser,
        is_worker=user.is_worker,
        team_roles={k: frozenset(v) for k, v in team_roles.items()},
        covered_roles={k: frozenset(v) for k, v in covered_roles.items()},
        supervised_unit_ids=frozenset(unit_descendants(supervised_roots))
        if supervised_roots
        else frozenset(),
    )


def case_keys_for(scope: AccessScope, *, unit_ids: set[int] | None = None) -> CaseKeys:
    """The scope's keys. `unit_ids`, every unit's id, saves a query when the caller has them."""
    if scope.is_admin:
        return CaseKeys(everything=True)
    supervised = scope.supervised_unit_ids
    teams = set(scope.team_roles)
    if supervised:
        if unit_ids is None:
            unit_ids = set(Unit.objects.values_list("pk", flat=True))
        if unit_ids <= supervised:
            # Every case has a street or park, and every one of them is overseen.
            return CaseKeys(everything=True)
        teams |= set(Team.objects.filter(unit_id__in=supervised).values_list("pk", flat=True))
    return CaseKeys(
        everything=False,
        jurisdiction_ids=frozenset(scope.covered_roles) | supervised,
        team_ids=frozenset(teams),
        worker_id=scope.user_id if scope.is_worker else None,
    )
