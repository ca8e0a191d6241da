"""The three tiers: which team covers a street or park at each tier, one tier up or down."""

from casework.core.table_copies import TableCopy
from casework.organisation.choices import TeamKind, Tier, UnitKind
from casework.organisation.models import Team, Unit


def _covering_teams() -> dict[tuple[int, str], Team]:
    """For each street or park and team kind, the team covering it: the closest unit first
    (the street itself, then a department, then the district), then the lowest id. Every team
    and coverage at once (tens of rows)."""
    teams = {team.pk: team for team in Team.objects.select_related("unit")}
    ranked: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for team_id, unit_id in Team.covers.through.objects.values_list("team_id", "unit_id"):
        team = teams[team_id]
        closeness = (
            0 if team.unit_id == unit_id else 1 if team.unit.kind == UnitKind.DEPARTMENT else 2
        )
        ranked.setdefault((unit_id, team.kind), []).append((closeness, team_id))
    return {key: teams[min(found)[1]] for key, found in ranked.items()}


# Routing, escalation, collective cases and agreements ask it on every write that moves a case;
# kept in each process while no team, unit or coverage changes (casework/core/table_copies.py).
covering_teams = TableCopy(
    "covering-teams",
    _covering_teams,
    watch=(Team, Unit),
    watch_many_to_many=(Team.covers.through,),
)


def covering_team(jurisdiction: Unit, kind: str) -> Team | None:
    """The team of `kind` covering the street, the closest unit first (street, department,
    district). The team is shared by the process: read it, never change it."""
    return covering_teams.get().get((jurisdiction.pk, kind))


def team_above(team: Team, jurisdiction: Unit) -> Team | None:
    """One tier up: station → the street's coordinators → a tier-1 unit office."""
    if team.tier == Tier.STATION:
        return covering_team(jurisdiction, TeamKind.COORDINATORS) or covering_team(
            jurisdiction, TeamKind.UNIT_OFFICE
        )
    if team.tier == Tier.TEAM:
        return covering_team(jurisdiction, TeamKind.UNIT_OFFICE)
    return None


def team_below(team: Team, jurisdiction: Unit) -> Team | None:
    """One tier down: a unit office → the street's coordinators → its station."""
    if team.tier == Tier.UNIT:
        return covering_team(jurisdiction, TeamKind.COORDINATORS)
    if team.tier == Tier.TEAM:
        return covering_team(jurisdiction, TeamKind.SERVICE_STATION)
    return None


def collective_team(jurisdiction: Unit) -> Team | None:
    """Collective cases are handled at tier 1."""
    return covering_team(jurisdiction, TeamKind.UNIT_OFFICE)


# Why a case is with its team after a move: stored on the case (`Case.routing`) as a key and
# its parameters, put into words in the reader's language by casework.routing.describe_route.
# The latest move replaces the reason shown; the history and the timeline keep every move.
ROUTE_ESCALATED = "escalated"  # {"key", "team", "reason" or "missed", "from_team"}
ROUTE_HANDED_BACK = "handed_back"  # {"key", "team", "reason"}
ROUTE_COLLECTIVE = "collective"  # {"key", "team", "workers", "employer"}
ROUTE_REASSIGNED = "reassigned"  # {"key", "team", "reason"}: to another team of the same tier


def moved_route(key: str, *, team: Team, **params) -> dict:
    """The routing record of a move to `team` (see the keys above)."""
    return {"key": key, "team": team.name, **params}


def is_below(team: Team, other: Team) -> bool:
    """Whether `team` sits at a lower tier than `other` (tier 3 is the lowest)."""
    return team.tier > other.tier
