"""Escalation: a case moves one tier up (or is handed back down), with the reason and who
is told."""

from django.db import transaction
from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.core.errors import ActionRefused
from casework.core.roles import Role
from casework.notifications.audiences import supervisors_over, team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.models import User
from casework.organisation.tiers import team_above, team_below
from casework.timeline.choices import EventKind
from casework.timeline.events import case_escalated_event, case_handed_back_event


def _move_case(case: Case, *, team, actor: User, kind: str, reason: str) -> None:
    """Give the case to `team`; the new team (and, going up, the supervisors) are told."""
    previous_team_id = case.team_id
    case.team = team
    case.assignee = None
    case._history_user = actor
    case._change_reason = f"{kind}: {reason}"
    case.save(update_fields=["team", "assignee", "updated_at"])
    audience = team_members(team.pk)
    if kind == EventKind.ESCALATED:
        case_escalated_event(case=case, actor=actor, team_name=team.name, reason=reason)
        audience += supervisors_over(case)
    else:
        case_handed_back_event(case=case, actor=actor, team_name=team.name, reason=reason)
    notify(
        recipients=audience,
        kind=NotificationKind.ESCALATED,
        case=case,
        params={"team": team.name, "reason": reason},
    )
    case_changed(case, previous_team_id=previous_team_id)


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
    """Hand a case back one tier down; supervisors only."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give a reason."), field="reason")
    with transaction.atomic():
        case = Case.objects.lock_for(actor=actor, case_id=case_id, roles_needed={Role.SUPERVISOR})[
            0
        ]
        target = team_below(case.team, case.jurisdiction)
        if target is None:
            raise ActionRefused(_("This case is already at the lowest tier."))
        _move_case(case, team=target, actor=actor, kind=EventKind.DEESCALATED, reason=reason)
    return case
