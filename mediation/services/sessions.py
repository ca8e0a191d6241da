"""Writes on mediation sessions: schedule one (starting mediation), record how it went."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.choices import CaseState
from casework.cases.services.transitions import case_transition
from casework.core.bounds import check_date_bounds
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.roles import Role
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.models import Membership, User
from casework.timeline.events import (
    mediation_cancelled_event,
    mediation_held_event,
    mediation_scheduled_event,
)
from mediation.choices import AgreementStatus, ParticipantSide, SessionOutcome, SessionStatus
from mediation.models import MediationSession, Participant
from mediation.subjects import MEDIATABLE, Subject, load_subject

MEDIATION_ROLES = {Role.COORDINATOR, Role.MEDIATOR, Role.SUPERVISOR}
RECORDING_ROLES = {Role.MEDIATOR, Role.SUPERVISOR}


@dataclass
class Invitee:
    side: str
    name: str
    organisation: str = ""


@dataclass
class SessionPlan:
    scheduled_at: datetime
    mediator: User
    place: str = ""
    online_link: str = ""
    invitees: list[Invitee] = field(default_factory=list)


def mediators_for(subject: Subject):
    """Mediators of the subject's teams and of teams covering its streets."""
    team_ids = {c.team_id for c in subject.cases}
    street_ids = {c.jurisdiction_id for c in subject.cases}
    return (
        User.objects.filter(
            pk__in=Membership.objects.filter(
                role__in=[Role.MEDIATOR, Role.SUPERVISOR], team__in=team_ids
            ).values("user")
            | Membership.objects.filter(
                role__in=[Role.MEDIATOR, Role.SUPERVISOR], team__covers__in=street_ids
            ).values("user"),
            is_active=True,
        )
        .order_by("display_name", "username")
        .distinct()
    )


# A session is for the mediation under way (15 days, extendable): one set months ahead is a
# mistyped year or month, and the worker would be texted a date nobody means.
MAX_DAYS_AHEAD = 60


def _beijing(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _check_plan(subject: Subject, plan: SessionPlan) -> None:
    if timezone.is_naive(plan.scheduled_at):
        raise ActionRefused(_("Give the time of the session."), field="scheduled_at")
    check_date_bounds(scheduled_at=plan.scheduled_at)
    now = timezone.now()
    if plan.scheduled_at < now:
        raise ActionRefused(
            _(
                "%(when)s has already passed (it is now %(now)s, Beijing time): "
                "a session is scheduled for a time to come."
            )
            % {"when": _beijing(plan.scheduled_at), "now": _beijing(now)},
            field="scheduled_at",
        )
    if plan.scheduled_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise ActionRefused(
            _(
                "%(when)s is too far ahead: a session is scheduled within %(days)d days "
                "(by %(last)s)."
            )
            % {
                "when": _beijing(plan.scheduled_at),
                "days": MAX_DAYS_AHEAD,
                "last": timezone.localdate(now + timedelta(days=MAX_DAYS_AHEAD)),
            },
            field="scheduled_at",
        )
    if not (plan.place.strip() or plan.online_link.strip()):
        raise ActionRefused(_("Give a place or an online meeting link."), field="place")
    if plan.online_link and not plan.online_link.startswith("https://"):
        raise ActionRefused(_("An online meeting link starts with https://."), field="online_link")
    if not mediators_for(subject).filter(pk=plan.mediator.pk).exists():
        raise ActionRefused(
            _("%(name)s is not a mediator for this case.") % {"name": plan.mediator.name},
            field="mediator",
        )


def session_schedule(
    *, actor: User, plan: SessionPlan, case_id=None, group_id=None
) -> MediationSession:
    """Schedule a session; cases still in verification or awaiting a response move to mediation.

    Changes: a session with its participants (worker(s), employer, mediator and any extra
    invitees), the start_mediation transition where needed (which starts the 15-day clock),
    a public timeline event and a notification (and text message) to each worker.
    """
    with transaction.atomic():
        subject = load_subject(actor=actor, case_id=case_id, group_id=group_id, lock=True)
        if not subject.roles & MEDIATION_ROLES:
            raise ActionRefused(
                _("Only coordinators, mediators and supervisors schedule mediation.")
            )
        cases = [c for c in subject.cases if c.state in MEDIATABLE]
        if not cases:
            raise ActionRefused(
                _("Mediation starts after the complaint is accepted and under verification.")
            )
        _check_plan(subject, plan)
        session = MediationSession(
            **subject.as_fields,
            scheduled_at=plan.scheduled_at,
            place=plan.place.strip()[:200],
            online_link=plan.online_link.strip(),
            mediator=plan.mediator,
            created_by=actor,
        )
        session._history_user = actor
        session.save()
        employer = subject.employer
        participants = [
            Participant(
                session=session,
                side=ParticipantSide.WORKER,
                name=case.worker.display_name or case.worker.name,
                case=case,
                user=case.worker,
            )
            for case in cases
        ]
        if employer is not None:
            participants.append(
                Participant(
                    session=session,
                    side=ParticipantSide.EMPLOYER,
                    name=str(employer),
                    organisation=str(employer),
                )
            )
        participants.append(
            Participant(
                session=session,
                side=ParticipantSide.MEDIATOR,
                name=plan.mediator.name,
                user=plan.mediator,
            )
        )
        participants += [
            Participant(
                session=session,
                side=i.side,
                name=i.name.strip()[:100],
                organisation=i.organisation.strip()[:200],
            )
            for i in plan.invitees
            if i.name.strip()
        ]
        Participant.objects.bulk_create(participants)
        when = _beijing(plan.scheduled_at)
        # By meeting link there is no place: the event keeps the time alone and the timeline
        # adds "online" in its reader's language (CaseEvent.headline).
        for case in cases:
            if case.state != CaseState.MEDIATING:
                case_transition(
                    actor=actor, case_id=case.pk, name="start_mediation", expected_state=case.state
                )
            mediation_scheduled_event(case=case, actor=actor, when=when, place=session.place)
            notify(
                recipients=[case.worker],
                kind=NotificationKind.MEDIATION_SCHEDULED,
                case=case,
                # No place (a meeting link): the text says "online" in the reader's language.
                params={"when": when, "place": session.place},
                sms=True,
            )
            case_changed(case)
    return session


@dataclass
class SessionRecord:
    minutes: str
    outcome: str
    attended_ids: set[int]
    end_mediation_reason: str = ""  # with outcome no_agreement: fail mediation with this reason


def session_get_for_update(*, actor: User, session_id) -> tuple[MediationSession, Subject]:
    try:
        session = MediationSession.objects.select_for_update().get(pk=int(session_id))
    except (MediationSession.DoesNotExist, TypeError, ValueError):
        raise CaseNotFound from None
    subject = load_subject(
        actor=actor, case_id=session.case_id, group_id=session.group_id, lock=True
    )
    return session, subject


def session_record(*, actor: User, session_id, record: SessionRecord) -> MediationSession:
    """Record that a session was held: attendance, minutes and outcome.

    A "no agreement" outcome with a reason ends mediation for the session's cases
    (fail_mediation); an agreement is drawn up separately, then signed.
    """
    with transaction.atomic():
        session, subject = session_get_for_update(actor=actor, session_id=session_id)
        if not subject.roles & RECORDING_ROLES:
            raise ActionRefused(_("Only mediators and supervisors record a session."))
        if session.status != SessionStatus.SCHEDULED:
            raise ActionRefused(_("This session was already recorded."))
        if record.outcome not in SessionOutcome.values:
            raise ActionRefused(_("Choose the outcome of the session."), field="outcome")
        minutes = record.minutes.strip()
        if not minutes:
            raise ActionRefused(_("Write the minutes of the session."), field="minutes")
        if session.scheduled_at > timezone.now() + timedelta(hours=1):
            raise ActionRefused(_("This session has not taken place yet."))
        participants = list(session.participants.all())
        for person in participants:
            person.attended = person.pk in record.attended_ids
        Participant.objects.bulk_update(participants, ["attended"])
        session.status = SessionStatus.HELD
        session.held_at = timezone.now()
        session.minutes = minutes[:20000]
        session.outcome = record.outcome
        session._history_user = actor
        session.save()
        for case in subject.cases:
            mediation_held_event(case=case, actor=actor, outcome=record.outcome)
            if (
                record.outcome == SessionOutcome.NO_AGREEMENT
                and record.end_mediation_reason.strip()
                and case.state == CaseState.MEDIATING
            ):
                case_transition(
                    actor=actor,
                    case_id=case.pk,
                    name="fail_mediation",
                    expected_state=CaseState.MEDIATING,
                    reason=record.end_mediation_reason,
                )
            case_changed(case)
    return session


def session_cancel(*, actor: User, session_id, reason: str) -> MediationSession:
    """Call off a session that has not taken place.

    Changes: the session's status (history keeps who and why), a public timeline entry with
    the reason, and a notification with a text message to each worker invited (the people
    the scheduling texted), saying when the session was and why it is off.
    """
    with transaction.atomic():
        session, subject = session_get_for_update(actor=actor, session_id=session_id)
        if not subject.roles & MEDIATION_ROLES:
            raise ActionRefused(_("Only coordinators, mediators and supervisors cancel a session."))
        rests_on_it = session.agreements.exclude(status=AgreementStatus.VOID).exists()
        if rests_on_it:
            raise ActionRefused(
                _(
                    "A mediation agreement rests on this session, so it cannot be cancelled: "
                    "void the agreement first if it was drawn up in error."
                )
            )
        if session.status == SessionStatus.HELD:
            raise ActionRefused(
                _("This session has taken place and is recorded: it cannot be cancelled.")
            )
        if session.status != SessionStatus.SCHEDULED:
            raise ActionRefused(_("This session is already cancelled."))
        reason = reason.strip()[:500]
        if not reason:
            raise ActionRefused(_("Please give a reason."), field="reason")
        session.status = SessionStatus.CANCELLED
        session._history_user = actor
        session._change_reason = reason[:100]  # history keeps 100 characters; the timeline all
        session.save()
        when = _beijing(session.scheduled_at)
        invited = {
            p.case_id: p.user
            for p in session.participants.filter(side=ParticipantSide.WORKER).select_related("user")
        }
        for case in subject.cases:
            mediation_cancelled_event(case=case, actor=actor, reason=reason)
            notify(
                recipients=[invited.get(case.pk) or case.worker],
                kind=NotificationKind.MEDIATION_CANCELLED,
                case=case,
                params={"when": when, "reason": reason},
                sms=True,
            )
            case_changed(case)
    return session
