"""Escalation: a case moves one tier up (or is handed back down to the team it came from),
with the reason and who is told."""

from django.db import transaction
from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.core.errors import ActionRefused
from casework.core.roles import Role
from casework.notifications.audiences import supervisors_over, team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.models import Team, User
from casework.organisation.tiers import (
    ROUTE_ESCALATED,
    ROUTE_HANDED_BACK,
    is_below,
    moved_route,
    team_above,
    team_below,
)
from casework.timeline.choices import EventKind
from casework.timeline.events import case_escalated_event, case_handed_back_event


def _move_case(case: Case, *, team, actor: User, kind: str, reason: str) -> None:
    """Give the case to `team`, recording the move as the reason shown for its team; the new
    team (and, going up, the supervisors) are told in words of the move."""
    previous_team_id = case.team_id
    up = kind == EventKind.ESCALATED
    case.team = team
    case.assignee = None
    case.routing = (
        moved_route(ROUTE_ESCALATED, team=team, reason=reason, from_team=previous_team_id)
        if up
        else moved_route(ROUTE_HANDED_BACK, team=team, reason=reason)
    )
    case._history_user = actor
    # The history row keeps the move ("escalated: ..." or "deescalated: ..."): the hand-back
    # reads it to find the team a case came from (see escalated_from).
    case._change_reason = f"{kind}: {reason}"
    case.save(update_fields=["team", "assignee", "routing", "updated_at"])
    audience = team_members(team.pk)
    if up:
        case_escalated_event(case=case, actor=actor, team_name=team.name, reason=reason)
        audience += supervisors_over(case)
    else:
        case_handed_back_event(case=case, actor=actor, team_name=team.name, reason=reason)
    notify(
        recipients=audience,
        kind=NotificationKind.ESCALATED if up else NotificationKind.HANDED_BACK,
        case=case,
        params={"team": team.name, "reason": reason},
    )
    case_changed(case, previous_team_id=previous_team_id)


def escalated_from(case: Case) -> Team | None:
    """The team the case was last moved up from and not yet handed back to, read from its
    history (every move up, by hand, by the sweep or as a collective case, records the team
    before it; a hand-back takes the latest one off). None if it came from no lower tier."""
    moves = case.history.order_by("history_date", "history_id").values_list(
        "team_id", "history_change_reason"
    )
    came_from: list[int] = []
    previous = None
    for team_id, why in moves:
        if previous is not None and team_id != previous:
            if (why or "").startswith(f"{EventKind.DEESCALATED}:"):
                if came_from:
                    came_from.pop()
            else:
                came_from.append(previous)
        previous = team_id
    teams = Team.objects.in_bulk(came_from)
    for team_id in reversed(came_from):
        team = teams.get(team_id)
        if team is not None and is_below(team, case.team):
            return team
    return None


def case_escalate(*, actor: User, case_id: int, reason: str) -> Case:
    """Move a case one tier up (station → street team → tier-1 unit office).

    Changes: the case's team (assignee cleared), a history row and an internal event.
    Sends (after commit): notifications to the new team and the supervisors over the case."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give a reason."), field="reason")
    with transaction.atomic():
        case, _roles = Case.objects.lock_for(
            actor=actor, case_id=case_id, roles_needed={Role.COORDINATOR, Role.SUPERVISOR}
        )
        target = team_above(case.team, case.jurisdiction)
        if target is None:
            raise ActionRefused(_("This case is already at the top tier."))
        _move_case(case, team=target, actor=actor, kind=EventKind.ESCALATED, reason=reason)
    return case


def case_deescalate(*, actor: User, case_id: int, reason: str) -> Case:
    """Hand a case back down to the team it was escalated from (one tier down if it came from
    none); supervisors only.

    Changes: the case's team (assignee cleared), the reason shown for its team, a history row
    and an internal event. Sends (after commit): a hand-back notification to that team."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give a reason."), field="reason")
    with transaction.atomic():
        case = Case.objects.lock_for(actor=actor, case_id=case_id, roles_needed={Role.SUPERVISOR})[
            0
        ]
        target = escalated_from(case) or team_below(case.team, case.jurisdiction)
        if target is None:
            raise ActionRefused(_("This case is already at the lowest tier."))
        _move_case(case, team=target, actor=actor, kind=EventKind.DEESCALATED, reason=reason)
    return case
