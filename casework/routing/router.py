"""Where a case goes: routing of new cases (rules as data) and the tiers above and below."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from casework.core.table_copies import TableCopy
from casework.organisation.choices import TeamKind, UnitKind
from casework.organisation.models import Team, Unit
from casework.routing.models import ROUTE_BY_RULE, ROUTE_NO_RULE, RoutingRule, describe_route

TIER2_KINDS = (TeamKind.COORDINATORS, TeamKind.MEDIATORS, TeamKind.INSPECTION_ASSISTANTS)


class NoTeamForJurisdiction(Exception):
    pass


@dataclass(frozen=True)
class Route:
    team: Team
    # Stored on the case (Case.routing): a key and its parameters, not words, so that each
    # reader sees the reason in their own language.
    routing: dict

    @property
    def reason(self) -> str:
        return describe_route(self.routing)


@dataclass(frozen=True)
class RoutingTable:
    """The rules, and for each street or park and team kind the team that covers it."""

    rules: list[RoutingRule]
    covering: dict[tuple[int, str], Team]


def _routing_table() -> RoutingTable:
    """Every rule and team at once (tens of rows): a new case is routed without a query.
    The covering team is organisation.tiers.covering_team's: the closest unit first (the
    street itself, then a department, then the district), then the lowest id."""
    teams = {team.pk: team for team in Team.objects.select_related("unit")}
    ranked: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for team_id, unit_id in Team.covers.through.objects.values_list("team_id", "unit_id"):
        team = teams[team_id]
        closeness = (
            0 if team.unit_id == unit_id else 1 if team.unit.kind == UnitKind.DEPARTMENT else 2
        )
        ranked.setdefault((unit_id, team.kind), []).append((closeness, team_id))
    return RoutingTable(
        rules=list(RoutingRule.objects.order_by("priority", "pk")),
        covering={key: teams[min(found)[1]] for key, found in ranked.items()},
    )


routing_table = TableCopy(
    "routing",
    _routing_table,
    watch=(RoutingRule, Team, Unit),
    watch_many_to_many=(Team.covers.through,),
)


def route_new_case(*, jurisdiction: Unit, category: str) -> Route:
    """The first team for a new complaint: the most specific matching rule (category and
    street beat "any"), then its priority. Rules whose team kind has no team covering the
    street are skipped, so a street without a station still gets its cases."""
    table = routing_table.get()
    rules = [
        rule
        for rule in table.rules
        if rule.category in (category, "") and rule.jurisdiction_id in (jurisdiction.pk, None)
    ]
    ranked = sorted(
        rules, key=lambda r: (r.jurisdiction_id is None, r.category == "", r.priority, r.pk)
    )
    for rule in ranked:
        team = table.covering.get((jurisdiction.pk, rule.team_kind))
        if team is not None:
            return Route(
                team,
                {
                    "key": ROUTE_BY_RULE,
                    "rule": rule.pk,
                    "note": rule.note,
                    "note_en": rule.note_en,
                    "category": rule.category,
                    "team_kind": rule.team_kind,
                },
            )
    for kind in (TeamKind.SERVICE_STATION, TeamKind.COORDINATORS):
        if team := table.covering.get((jurisdiction.pk, kind)):
            return Route(team, {"key": ROUTE_NO_RULE})
    raise NoTeamForJurisdiction(
        _("No team covers %(place)s yet. Please call the district bureau.")
        % {"place": jurisdiction.name}
    )
