"""Who hears about a case: its team, the supervisors over it, the employer's representatives."""

from django.db.models import Q

from casework.cases.models import Case
from casework.core import kept_sql
from casework.core.roles import Role
from casework.organisation.choices import TeamKind
from casework.organisation.models import Membership, User
from platforms.models import Company


def team_members(team_id: int) -> list[User]:
    """The active members of a team (every intake tells its team): the SQL kept per process."""
    return kept_sql.fetch(
        "team members",
        lambda team: User.objects.filter(memberships__team_id=team, is_active=True).distinct(),
        team_id,
    )


def supervisors_over(case: Case, *, tier1_only: bool = False, scopes=None) -> list[User]:
    """Supervisors whose unit (or what their team covers) includes the case. Pass `scopes`
    (from supervisor_scopes) when asking for many cases at once."""
    units = {case.jurisdiction_id, case.team.unit_id}
    scopes = scopes if scopes is not None else supervisor_scopes(tier1_only)
    return [user for user, scope in scopes if units & scope]


def supervisor_scopes(tier1_only: bool) -> list[tuple[User, set[int]]]:
    """Each supervisor with the units they oversee, from one read of memberships and units."""
    from casework.organisation.access import unit_descendants

    memberships = Membership.objects.filter(role=Role.SUPERVISOR).select_related("team", "user")
    if tier1_only:
        memberships = memberships.filter(team__kind=TeamKind.UNIT_OFFICE)
    memberships = list(memberships.prefetch_related("team__covers"))
    if not memberships:
        return []
    roots = {m.pk: {m.team.unit_id, *(u.pk for u in m.team.covers.all())} for m in memberships}
    return [(m.user, unit_descendants(roots[m.pk])) for m in memberships]


def platform_representatives(case: Case) -> list[User]:
    """The representatives of every company the case names and of the companies above them in
    the chain (a platform's representatives see and answer their operators' cases)."""
    company_ids = {p.company_id for p in case.parties.all() if p.company_id}
    parents = dict(Company.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    frontier = list(company_ids)
    while frontier:
        parent = parents.get(frontier.pop())
        if parent is not None and parent not in company_ids:
            company_ids.add(parent)
            frontier.append(parent)
    return list(
        User.objects.filter(
            Q(representations__company_id__in=company_ids), is_active=True
        ).distinct()
    )
