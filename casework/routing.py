"""Which team a new case goes to. Issue 4 turns this into rules an admin can edit."""

from django.utils.translation import gettext as _

from casework.choices import TeamKind
from casework.models import Team, Unit

# First contact and fact checking happen at the frontline station; without one, the
# coordinators of the street take the case.
FIRST_CONTACT_KINDS = (TeamKind.SERVICE_STATION, TeamKind.COORDINATORS)


class NoTeamForJurisdiction(Exception):
    pass


def route_new_case(*, jurisdiction: Unit) -> Team:
    teams = {team.kind: team for team in Team.objects.filter(covers=jurisdiction).order_by("pk")}
    for kind in FIRST_CONTACT_KINDS:
        if kind in teams:
            return teams[kind]
    raise NoTeamForJurisdiction(
        _("No team covers %(place)s yet. Please call the district bureau.")
        % {"place": jurisdiction.name}
    )
