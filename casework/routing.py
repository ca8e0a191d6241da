"""Where a case goes: routing of new cases (rules as data) and the tiers above and below."""

from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Value, When
from django.utils.translation import gettext as _

from casework.choices import TeamKind, Tier, UnitKind
from casework.models import RoutingRule, Team, Unit
from casework.models.routing import ROUTE_BY_RULE, ROUTE_NO_RULE, describe_route

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


def _covering(jurisdiction: Unit, kind: str) -> Team | None:
    """The team of `kind` covering the street, the closest unit first (street, department,
    district)."""
    return (
        Team.objects.filter(covers=jurisdiction, kind=kind)
        .annotate(
            closeness=SqlCase(
                When(unit=jurisdiction, then=Value(0)),
                When(unit__kind=UnitKind.DEPARTMENT, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("closeness", "pk")
        .first()
    )


def route_new_case(*, jurisdiction: Unit, category: str) -> Route:
    """The first team for a new complaint: the most specific matching rule (category and
    street beat "any"), then its priority. Rules whose team kind has no team covering the
    street are skipped, so a street without a station still gets its cases."""
    rules = RoutingRule.objects.filter(category__in=[category, ""]).filter(
        jurisdiction__in=[jurisdiction]
    ) | RoutingRule.objects.filter(category__in=[category, ""], jurisdiction__isnull=True)
    ranked = sorted(
        rules, key=lambda r: (r.jurisdiction_id is None, r.category == "", r.priority, r.pk)
    )
    for rule in ranked:
        team = _covering(jurisdiction, rule.team_kind)
        if team is not None:
            return Route(
                team,
                {
                    "key": ROUTE_BY_RULE,
                    "rule": rule.pk,
                    "note": rule.note,
                    "category": rule.category,
                    "team_kind": rule.team_kind,
                },
            )
    for kind in (TeamKind.SERVICE_STATION, TeamKind.COORDINATORS):
        if team := _covering(jurisdiction, kind):
            return Route(team, {"key": ROUTE_NO_RULE})
    raise NoTeamForJurisdiction(
        _("No team covers %(place)s yet. Please call the district bureau.")
        % {"place": jurisdiction.name}
    )


def team_above(team: Team, jurisdiction: Unit) -> Team | None:
    """One tier up: station → the street's coordinators → a tier-1 unit office."""
    if team.tier == Tier.STATION:
        return _covering(jurisdiction, TeamKind.COORDINATORS) or _covering(
            jurisdiction, TeamKind.UNIT_OFFICE
        )
    if team.tier == Tier.TEAM:
        return _covering(jurisdiction, TeamKind.UNIT_OFFICE)
    return None


def team_below(team: Team, jurisdiction: Unit) -> Team | None:
    """One tier down: a unit office → the street's coordinators → its station."""
    if team.tier == Tier.UNIT:
        return _covering(jurisdiction, TeamKind.COORDINATORS)
    if team.tier == Tier.TEAM:
        return _covering(jurisdiction, TeamKind.SERVICE_STATION)
    return None


def collective_team(jurisdiction: Unit) -> Team | None:
    """Collective cases are handled at tier 1."""
    return _covering(jurisdiction, TeamKind.UNIT_OFFICE)
