"""Writes on cases: filing, transitions, assignment, notes, evidence and worker messages.

Each call is one transaction: lock the case row, check the actor's rights on it, write the
change, its history reason and its timeline event together.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from casework.cases.lifecycle import RULES
from casework.cases.models import Case
from casework.cases.services.common import refuse_unavailable
from casework.clocks.services import clocks_on_event
from casework.core.errors import ActionRefused, CaseChanged
from casework.core.roles import STAFF_ROLES, Role
from casework.notifications.audiences import platform_representatives
from casework.notifications.models import NotificationKind
from casework.notifications.services import SMS_TRANSITIONS, case_changed, notify
from casework.organisation.models import User
from casework.timeline.choices import EventKind
from casework.timeline.events import event_record


def case_transition(
    *,
    actor: User,
    case_id: int,
    name: str,
    expected_state: str | None = None,
    reason: str = "",
    referral_target: str = "",
    referral_reference: str = "",
    waiver: str = "",
) -> Case:
    """Move a case along the state machine.

    Changes: the case's state (and the decline reason, referral or waiver it needs), a history
    row with the actor and reason, a timeline event (public to the worker for state changes).
    Raises CaseNotFound, CaseChanged (someone moved it first) or ActionRefused.
    """
    rule = RULES.get(name)
    if rule is None:
        raise ActionRefused(_("Unknown action."))
    reason = (reason or "").strip()
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        if expected_state and case.state != expected_state:
            raise CaseChanged(
                _("Someone changed this case while you were looking at it: it is now “%(state)s”.")
                % {"state": case.state_label}
            )
        method = getattr(case, name)
        if not can_proceed(method, check_conditions=False):
            refuse_unavailable(case)
        if not (roles & rule.roles):
            raise ActionRefused(
                _("Your role does not allow “%(action)s”.") % {"action": rule.label}
            )
        if Role.WORKER in roles and not (roles & STAFF_ROLES) and name == "withdraw":
            reason = reason or _("Withdrawn by the worker.")
        if rule.needs_reason and not reason:
            raise ActionRefused(_("Please give a reason."), field="reason")
        from_state = case.state
        changed = ["state", "updated_at"]
        if name == "decline":
            case.decline_reason = reason
            changed.append("decline_reason")
        if rule.needs_referral:
            case.referral_target, case.referral_reference = (
                referral_target,
                referral_reference.strip(),
            )
            if not case.has_referral():
                raise ActionRefused(
                    _("Say where the case goes and give their reference number."),
                    field="referral_reference",
                )
            changed += ["referral_target", "referral_reference"]
        if name == "resolve" and waiver.strip():
            case.outstanding_waived = waiver.strip()
            changed.append("outstanding_waived")
        if not can_proceed(method):
            if name == "resolve":
                raise ActionRefused(
                    _(
                        "%(amount)s is still outstanding. "
                        "Record the payments, or the worker's waiver."
                    )
                    % {"amount": case.amount_outstanding},
                    field="waiver",
                )
            refuse_unavailable(case)
        method()
        case._history_user = actor
        case._change_reason = f"{name}: {reason}" if reason else name
        case.save(update_fields=changed)
        clocks_on_event(case=case, event=name, actor=actor)
        event_record(
            case,
            actor=actor,
            kind=EventKind.TRANSITION,
            transition=name,
            from_state=from_state,
            to_state=case.state,
            reason=reason,
            is_public=True,
        )
        notify(
            recipients=[case.worker],
            kind=NotificationKind.STATUS_CHANGED,
            case=case,
            params={"state": case.state},
            sms=name in SMS_TRANSITIONS,
        )
        if name == "request_response":
            clock = case.deadlines.filter(rule__key="PLATFORM_RESPONSE", status="running").first()
            notify(
                recipients=platform_representatives(case),
                kind=NotificationKind.RESPONSE_REQUESTED,
                case=case,
                params={"due": f"{clock.due_on:%Y-%m-%d}" if clock else ""},
            )
        case_changed(case)
    return case
