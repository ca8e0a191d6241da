"""Who sees and records governance work: by the unit it belongs to.

- Supervisors: their unit and everything below it (see and record).
- Inspectors and coordinators: the streets and parks their teams cover (see and record);
  mediators and station staff of those teams see them.
- Administrators: everything.
A campaign organised by a unit above a user's units is theirs too (a district campaign is
carried out street by street), but they see only their own units' screenings in it."""

from dataclasses import dataclass

from casework.core.roles import Role
from casework.organisation.access import scope_for
from casework.organisation.models import Unit

RECORDERS = frozenset({Role.INSPECTOR, Role.COORDINATOR})


@dataclass(frozen=True)
class GovernanceScope:
    everything: bool
    visible_unit_ids: frozenset[int]
    recording_unit_ids: frozenset[int]
    # The visible units and every unit above them: campaigns organised there apply here.
    campaign_unit_ids: frozenset[int]

    @property
    def sees_anything(self) -> bool:
        return self.everything or bool(self.visible_unit_ids)

    def sees_unit(self, unit_id: int | None) -> bool:
        return self.everything or unit_id in self.visible_unit_ids

    def records_in(self, unit_id: int | None) -> bool:
        return self.everything or unit_id in self.recording_unit_ids


def governance_scope(user) -> GovernanceScope:
    cached = getattr(user, "_anxin_governance", None)
    if cached is not None:
        return cached
    scope = scope_for(user)
    if scope.is_admin:
        result = GovernanceScope(True, frozenset(), frozenset(), frozenset())
    else:
        covered = set(scope.covered_roles)
        recording = {unit_id for unit_id, roles in scope.covered_roles.items() if roles & RECORDERS}
        visible = covered | set(scope.supervised_unit_ids)
        recording |= set(scope.supervised_unit_ids)
        above = set()
        if visible:
            parents = dict(Unit.objects.values_list("pk", "parent_id"))
            for unit_id in visible:
                parent = parents.get(unit_id)
                while parent is not None and parent not in above:
                    above.add(parent)
                    parent = parents.get(parent)
        result = GovernanceScope(
            False, frozenset(visible), frozenset(recording), frozenset(visible | above)
        )
    user._anxin_governance = result
    return result


def units_for_recording(user):
    """The units the user may record in, for a form's choices (streets and parks first)."""
    scope = governance_scope(user)
    units = Unit.objects.order_by("kind", "name", "pk")
    if scope.everything:
        return units
    return units.filter(pk__in=sorted(scope.recording_unit_ids))
