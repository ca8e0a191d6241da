"""Moving a case along its state machine: one mechanism (`_take`) for every transition, driven
by the lifecycle table (casework/cases/lifecycle.py), and named services for the transitions
with logic of their own (`case_decline`, `case_refer`, `case_resolve`, `case_withdraw`,
`case_request_response`).

Each call is one transaction: lock the case row, check the state and the actor's role on the
case, record what the transition needs, change the state, write the history row (who and why),
start, meet or end clocks, write the timeline entry and tell the worker (and others).
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from casework.cases.lifecycle import TRANSITIONS
from casework.cases.models import Case
from casework.cases.services.common import refuse_unavailable
from casework.clocks.services import clocks_on_event
from casework.core.audit_hook import rows_written
from casework.core.errors import ActionRefused, CaseChanged
from casework.core.history import save_with_history
from casework.core.money import yuan
from casework.notifications.audiences import platform_representatives
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.models import User
from casework.timeline.events import case_transitioned_event

# Records what a transition needs on the locked case; returns the fields it set.
Prepare = Callable[[Case], list[str]]
# Locks the case for someone the staff scope does not cover (a platform's representative, by
# the portal's scope); returns the case and the actor's roles on it.
Lock = Callable[[], tuple[Case, frozenset]]


def _take(
    *,
    actor: User,
    case_id: int,
    name: str,
    expected_state: str | None,
    reason: str,
    prepare: Prepare | None = None,
    refusal: Callable[[Case], ActionRefused] | None = None,
    after: Callable[[Case], None] | None = None,
    lock: Lock | None = None,
) -> Case:
    step = TRANSITIONS.get(name)
    if step is None:
        raise ActionRefused(_("Unknown action."))

    reason = (reason or "").strip()
    with transaction.atomic():
        if lock is not None:
            case, roles = lock()
        else:  # with the worker, whom the transition tells
            case, roles = Case.objects.lock_for(actor=actor, case_id=case_id, related=("worker",))
        if step.page and prepare is None:  # prepared on its own page, never a bare button
            raise ActionRefused(_("This is done on its own page."))
        if expected_state and case.state != expected_state:
            raise CaseChanged(
                _("Someone changed this case while you were looking at it: it is now “%(state)s”.")
                % {"state": case.state_label}
            )
        method = getattr(case, name)
        if not can_proceed(method, check_conditions=False):
            refuse_unavailable(case)
        if not (roles & step.roles):
            raise ActionRefused(
                _("Your role does not allow “%(action)s”.") % {"action": step.label}
            )
        if step.needs_reason and not reason:
            raise ActionRefused(_("Please give a reason."), field="reason")
        from_state = case.state
        changed = ["state", "updated_at", *(prepare(case) if prepare else [])]
        if not can_proceed(method):  # the transition's conditions (referral, money, ...)
            if refusal is not None:
                raise refusal(case)
            refuse_unavailable(case)
        method()
        changed += _first_step(case, name)
        case._history_user = actor
        case._change_reason = f"{name}: {reason}" if reason else name
        # The rows the step writes are handed to the audit chain together, in one statement.
        chained = save_with_history(case, update_fields=changed)
        clocks_on_event(
            case=case, event=name, actor=actor, ends_clocks=step.ends_clocks, chained=chained
        )
        case_transitioned_event(
            case=case, actor=actor, name=name, from_state=from_state, reason=reason, chained=chained
        )
        rows_written(chained)
        notify(
            recipients=[case.worker],
            kind=NotificationKind.STATUS_CHANGED,
            case=case,
            params={"state": case.state},
            sms=step.texts_worker,
        )
        if after is not None:
            after(case)
        case_changed(case)
    return case


FIRST_STEP_FIELDS = {"accept": "first_accepted_at", "resolve": "first_resolved_at"}


def _first_step(case: Case, name: str) -> list[str]:
    """Keep the moment of the case's first acceptance or resolution on its row (the
    statistics page's waits): a later one, after a reopening, leaves it as it was."""
    field = FIRST_STEP_FIELDS.get(name)
    if field is None or getattr(case, field) is not None:
        return []
    setattr(case, field, timezone.now())
    return [field]


# The mechanism for the steps prepared on a page of their own (the lifecycle's `page`):
# casework.merging takes `merge` through it, with its own lock, preparation and moves.
take_prepared_step = _take


def case_decline(*, actor: User, case_id: int, reason: str, expected_state=None) -> Case:
    """Do not accept a complaint; the written reason is kept on the case and shown to the
    worker."""

    def prepare(case: Case) -> list[str]:
        case.decline_reason = (reason or "").strip()
        return ["decline_reason"]

    return _take(
        actor=actor,
        case_id=case_id,
        name="decline",
        expected_state=expected_state,
        reason=reason,
        prepare=prepare,
    )


def case_refer(
    *,
    actor: User,
    case_id: int,
    target: str,
    reference: str,
    reason: str = "",
    expected_state=None,
    name: str = "refer",
) -> Case:
    """Pass the case to arbitration, inspection, a court or the police (`refer`), or after a
    broken agreement (`report_breach`), with the receiving body's reference number."""
    if name not in ("refer", "report_breach"):
        raise ActionRefused(_("Unknown action."))

    def prepare(case: Case) -> list[str]:
        case.referral_target, case.referral_reference = target, (reference or "").strip()
        if not case.has_referral():
            raise ActionRefused(
                _("Say where the case goes and give their reference number."),
                field="referral_reference",
            )
        return ["referral_target", "referral_reference"]

    return _take(
        actor=actor,
        case_id=case_id,
        name=name,
        expected_state=expected_state,
        reason=reason,
        prepare=prepare,
    )


def case_resolve(
    *, actor: User, case_id: int, reason: str = "", waiver: str = "", expected_state=None
) -> Case:
    """Resolve a case: nothing may be outstanding unless the worker's waiver is recorded."""
    waiver = (waiver or "").strip()

    def prepare(case: Case) -> list[str]:
        if not waiver:
            return []
        case.outstanding_waived = waiver
        return ["outstanding_waived"]

    def refusal(case: Case) -> ActionRefused:
        if case.amount_outstanding == 0:  # paid, but not every payment confirmed
            return ActionRefused(case.payments_unconfirmed(), field="waiver")
        return ActionRefused(
            _("%(amount)s is still outstanding. Record the payments, or the worker's waiver.")
            % {"amount": yuan(case.amount_outstanding)},
            field="waiver",
        )

    return _take(
        actor=actor,
        case_id=case_id,
        name="resolve",
        expected_state=expected_state,
        reason=reason,
        prepare=prepare,
        refusal=refusal,
    )


def case_withdraw(*, actor: User, case_id: int, reason: str = "", expected_state=None) -> Case:
    """The worker (or staff on their word) withdraws the complaint. A worker need not say
    why."""
    reason = (reason or "").strip()
    if not reason and not actor.is_anonymous and actor.is_worker:
        reason = _("Withdrawn by the worker.")
    return _take(
        actor=actor, case_id=case_id, name="withdraw", expected_state=expected_state, reason=reason
    )


def case_request_response(
    *, actor: User, case_id: int, reason: str = "", expected_state=None
) -> Case:
    """Ask the employer chain to respond: their representatives are told the due date."""

    def after(case: Case) -> None:
        clock = case.deadlines.filter(rule__key="PLATFORM_RESPONSE", status="running").first()
        notify(
            recipients=platform_representatives(case),
            kind=NotificationKind.RESPONSE_REQUESTED,
            case=case,
            params={"due": f"{clock.due_on:%Y-%m-%d}" if clock else ""},
        )

    return _take(
        actor=actor,
        case_id=case_id,
        name="request_response",
        expected_state=expected_state,
        reason=reason,
        after=after,
    )


def case_record_response(
    *,
    actor: User,
    case_id: int,
    reason: str,
    lock: Lock | None = None,
    prepare: Prepare | None = None,
    after: Callable[[Case], None] | None = None,
) -> Case:
    """The employer has answered: the case goes back to verification and the response clock
    stops (met, or met late). platforms.responses records what they answered in `after`,
    inside the same transaction."""
    return _take(
        actor=actor,
        case_id=case_id,
        name="record_response",
        expected_state=None,
        reason=reason,
        prepare=prepare,
        after=after,
        lock=lock,
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
    """Take transition `name` (the case page's buttons post here): the named service when it
    has one, otherwise the shared mechanism.

    Changes: the case's state (and the decline reason, referral or waiver it needs), a history
    row with the actor and reason, a timeline event (public to the worker for state changes).
    Raises CaseNotFound, CaseChanged (someone moved it first) or ActionRefused.
    """
    common = {"actor": actor, "case_id": case_id, "expected_state": expected_state}
    named = {
        "decline": lambda: case_decline(**common, reason=reason),
        "refer": lambda: case_refer(
            **common, target=referral_target, reference=referral_reference, reason=reason
        ),
        "report_breach": lambda: case_refer(
            **common,
            name="report_breach",
            target=referral_target,
            reference=referral_reference,
            reason=reason,
        ),
        "resolve": lambda: case_resolve(**common, reason=reason, waiver=waiver),
        "withdraw": lambda: case_withdraw(**common, reason=reason),
        "request_response": lambda: case_request_response(**common, reason=reason),
    }
    if name in named:
        return named[name]()
    return _take(**common, name=name, reason=reason)
