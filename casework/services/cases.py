"""Writes on cases: filing, transitions, assignment, notes, evidence and worker messages.

Each call is one transaction: lock the case row, check the actor's rights on it, write the
change, its history reason and its timeline event together.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from casework.access import case_roles, scope_for, visible_cases_q
from casework.case_choices import MONEY_CATEGORIES, CaseState, Channel, EventKind
from casework.choices import Role
from casework.evidence import CheckedFile
from casework.limitation import limitation_warnings
from casework.models import (
    Case,
    CaseEvent,
    CaseNote,
    CaseParty,
    Evidence,
    NotificationKind,
    Unit,
    User,
)
from casework.notifications import (
    SMS_TRANSITIONS,
    case_changed,
    notify,
    platform_representatives,
    team_members,
)
from casework.references import next_reference
from casework.routing import route_new_case
from casework.services.clocks import clocks_on_event
from casework.services.errors import ActionRefused, CaseChanged, CaseNotFound
from casework.transitions import RULES
from platforms.models import Company

STAFF_ROLES = {Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR, Role.SUPERVISOR}


@dataclass
class PartyInput:
    kind: str
    company: Company | None = None
    name: str = ""


@dataclass
class Complaint:
    """What a complaint says, already parsed by a form."""

    category: str
    description: str
    jurisdiction: Unit
    period_start: date
    period_end: date
    parties: list[PartyInput]
    amount_claimed: Decimal = Decimal("0.00")
    order_ids: str = ""
    consent_to_share: bool = False
    still_working: bool | None = None
    worker_name: str = ""
    files: list[CheckedFile] = field(default_factory=list)


def _lock_case(*, actor: User, case_id: int) -> tuple[Case, frozenset[Role]]:
    scope = scope_for(actor)
    try:
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("team")
            .get(visible_cases_q(scope), pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise CaseNotFound from exc
    return case, case_roles(scope, case)


def _event(case: Case, *, actor: User, kind: str, is_public: bool, **fields) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, is_public=is_public, **fields
    )


def _check_evidence_room(case_id: int | None, files: list[CheckedFile]) -> None:
    existing = Evidence.objects.filter(case_id=case_id).count() if case_id else 0
    limit = settings.ANXIN_EVIDENCE_MAX_FILES
    if existing + len(files) > limit:
        raise ActionRefused(
            _("A case can have at most %(limit)d files; this one has room for %(room)d more.")
            % {"limit": limit, "room": max(0, limit - existing)},
            field="files",
        )


def _store_evidence(case: Case, files: list[CheckedFile], actor: User) -> None:
    for checked in files:
        evidence = Evidence(
            case=case,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        evidence.file.save(checked.sha256, checked.upload, save=False)
        evidence._history_user = actor
        evidence.save()


def case_file(
    *, actor: User, complaint: Complaint, worker: User | None = None, channel: str
) -> Case:
    """File a complaint: a worker for themselves (online), or staff for a caller or walk-in.

    Changes: a new Case (reference issued, routed to a team), its parties and evidence, a
    public "filed" event. Sends nothing yet (notifications arrive with issue 5).
    """
    if worker is None:
        worker = actor
    if actor != worker and not scope_for(actor).is_staff_member:
        raise ActionRefused(_("Only staff can file a complaint for someone else."))
    if actor == worker and not actor.is_worker:
        raise ActionRefused(_("Staff file complaints for a worker: give the worker's number."))
    if channel not in Channel.values or (actor == worker) != (channel == Channel.ONLINE):
        raise ActionRefused(_("Choose how the complaint reached us."), field="channel")
    if complaint.period_end < complaint.period_start:
        raise ActionRefused(
            _("The end date must not be before the start date."), field="period_end"
        )
    if complaint.category not in MONEY_CATEGORIES:
        complaint.amount_claimed = Decimal("0.00")
    if not complaint.parties:
        raise ActionRefused(_("Name at least the platform or the company."), field="platform")
    _check_evidence_room(None, complaint.files)
    route = route_new_case(jurisdiction=complaint.jurisdiction, category=complaint.category)

    with transaction.atomic():
        case = Case(
            reference=next_reference(),
            worker=worker,
            worker_name=complaint.worker_name or worker.name,
            filed_by=actor,
            channel=channel,
            category=complaint.category,
            jurisdiction=complaint.jurisdiction,
            team=route.team,
            routing=route.routing,
            still_working=complaint.still_working,
            limitation_warning="\n".join(
                limitation_warnings(
                    period_end=complaint.period_end,
                    still_working=complaint.still_working,
                    today=timezone.localdate(),
                )
            ),
            period_start=complaint.period_start,
            period_end=complaint.period_end,
            amount_claimed=complaint.amount_claimed,
            order_ids=complaint.order_ids,
            description=complaint.description,
            consent_to_share=complaint.consent_to_share,
            employer=next(
                (p.company for p in reversed(complaint.parties) if p.company is not None), None
            ),
        )
        case._history_user = actor
        case._change_reason = _("Filed")
        case.save()
        for position, party in enumerate(complaint.parties, start=1):
            row = CaseParty(
                case=case,
                position=position,
                kind=party.kind,
                company=party.company,
                name=party.name,
            )
            row._history_user = actor
            row.save()
        _store_evidence(case, complaint.files, actor)
        _event(case, actor=actor, kind=EventKind.FILED, is_public=True, to_state=case.state)
        clocks_on_event(case=case, event="filed", actor=actor)
        notify(
            recipients=team_members(case.team_id),
            kind=NotificationKind.NEW_CASE,
            case=case,
            params={"category": case.category, "place": case.jurisdiction.name},
        )
        case_changed(case)
    return case


def _refuse_unavailable(case: Case, name: str) -> None:
    raise ActionRefused(
        _("This cannot be done while the case is “%(state)s”.") % {"state": case.state_label}
    )


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
        case, roles = _lock_case(actor=actor, case_id=case_id)
        if expected_state and case.state != expected_state:
            raise CaseChanged(
                _("Someone changed this case while you were looking at it: it is now “%(state)s”.")
                % {"state": case.state_label}
            )
        method = getattr(case, name)
        if not can_proceed(method, check_conditions=False):
            _refuse_unavailable(case, name)
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
            _refuse_unavailable(case, name)
        method()
        case._history_user = actor
        case._change_reason = f"{name}: {reason}" if reason else name
        case.save(update_fields=changed)
        clocks_on_event(case=case, event=name, actor=actor)
        _event(
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


_ASSIGNABLE = (
    CaseState.SUBMITTED,
    CaseState.ACCEPTED,
    CaseState.VERIFYING,
    CaseState.AWAITING_RESPONSE,
    CaseState.MEDIATING,
    CaseState.AGREEMENT_REACHED,
    CaseState.MEDIATION_FAILED,
)


def case_assign(
    *, actor: User, case_id: int, assignee_id: int | None, expected_assignee: int | None = None
) -> Case:
    """Give a case to a member of its team or jurisdiction (or to oneself: claiming).

    Changes: case.assignee, a history row and an internal timeline event.
    """
    with transaction.atomic():
        case, roles = _lock_case(actor=actor, case_id=case_id)
        if not roles & {Role.COORDINATOR, Role.SUPERVISOR}:
            raise ActionRefused(_("Only coordinators and supervisors assign cases."))
        if case.state not in {s.value for s in _ASSIGNABLE}:
            _refuse_unavailable(case, "assign")
        if expected_assignee is not None and (case.assignee_id or 0) != expected_assignee:
            raise CaseChanged(_("Someone else assigned this case a moment ago."))
        assignee = None
        if assignee_id:
            assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
            if assignee is None or not (case_roles(scope_for(assignee), case) & STAFF_ROLES):
                raise ActionRefused(
                    _("That person does not work on cases of this team or street."),
                    field="assignee",
                )
        case.assignee = assignee
        case._history_user = actor
        case._change_reason = "assign"
        case.save(update_fields=["assignee", "updated_at"])
        _event(
            case,
            actor=actor,
            kind=EventKind.ASSIGNED,
            is_public=False,
            reason=assignee.name if assignee else "",
        )
        case_changed(case)
    return case


def case_add_note(*, actor: User, case_id: int, body: str, is_public: bool) -> CaseNote:
    """Staff write a note, internal or visible to the worker. Changes: a note and an event."""
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_("The note is empty."), field="body")
    with transaction.atomic():
        case, roles = _lock_case(actor=actor, case_id=case_id)
        if not roles & STAFF_ROLES:
            raise ActionRefused(_("Only staff on this case can write notes."))
        note = CaseNote(case=case, author=actor, body=body, is_public=is_public)
        note._history_user = actor
        note.save()
        _event(
            case,
            actor=actor,
            kind=EventKind.NOTE_ADDED,
            is_public=is_public,
            reason=body if is_public else "",
        )
        case_changed(case)
    return note


def case_worker_message(*, actor: User, case_id: int, body: str, files: list[CheckedFile]) -> None:
    """The worker adds a message and/or evidence to their own open case."""
    body = (body or "").strip()
    if not body and not files:
        raise ActionRefused(_("Write a message or choose a file."), field="body")
    with transaction.atomic():
        case, roles = _lock_case(actor=actor, case_id=case_id)
        if Role.WORKER not in roles and not roles & STAFF_ROLES:
            raise CaseNotFound
        if case.state in (CaseState.CLOSED, CaseState.WITHDRAWN):
            _refuse_unavailable(case, "message")
        _check_evidence_room(case.pk, files)
        _store_evidence(case, files, actor)
        if files:
            names = ", ".join(f.original_name for f in files)
            _event(case, actor=actor, kind=EventKind.EVIDENCE_ADDED, is_public=True, reason=names)
        if body:
            _event(
                case, actor=actor, kind=EventKind.MESSAGE_FROM_WORKER, is_public=True, reason=body
            )
