"""Where a case goes: routing of new cases (rules as data) and the tiers above and below."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from casework.core.table_copies import TableCopy
from casework.organisation.choices import TeamKind
from casework.organisation.models import Team, Unit
from casework.organisation.tiers import covering_team
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


# The rules (tens of rows), kept in each process while none changes: a new case is routed
# without a query (the covering teams are organisation.tiers' copy).
routing_rules = TableCopy(
    "routing-rules",
    lambda: list(RoutingRule.objects.order_by("priority", "pk")),
    watch=(RoutingRule,),
)


def route_new_case(*, jurisdiction: Unit, category: str) -> Route:
    """The first team for a new complaint: the most specific matching rule (category and
    street beat "any"), then its priority. Rules whose team kind has no team covering the
    street are skipped, so a street without a station still gets its cases."""
    rules = [
        rule
        for rule in routing_rules.get()
        if rule.category in (category, "") and rule.jurisdiction_id in (jurisdiction.pk, None)
    ]
    ranked = sorted(
        rules, key=lambda r: (r.jurisdiction_id is None, r.category == "", r.priority, r.pk)
    )
    for rule in ranked:
        team = covering_team(jurisdiction, rule.team_kind)
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
        if team := covering_team(jurisdiction, kind):
            return Route(team, {"key": ROUTE_NO_RULE})
    raise NoTeamForJurisdiction(
        _("No team covers %(place)s yet. Please call the district bureau.")
        % {"place": jurisdiction.name}
    )
