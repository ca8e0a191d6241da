"""Working on a case: assignment (claiming, also of several cases from the queue) and notes."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case, CaseNote, SeenCase, refuse_if_changed
from casework.cases.models.seen import ASSIGNEE, STATE, TEAM
from casework.cases.services.common import refuse_unavailable
from casework.core.access import case_roles, visible_cases_q
from casework.core.errors import ActionRefused, CaseChanged, CaseNotFound
from casework.core.roles import ASSIGNERS, STAFF_ROLES
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.access import scope_for
from casework.organisation.models import User
from casework.timeline.events import case_assigned_event, note_added_event


def case_assign(
    *,
    actor: User,
    case_id: int,
    assignee_id: int | None,
    expected_assignee: int | None = None,
    seen: SeenCase | None = None,
) -> Case:
    """Give a case to a member of its team or jurisdiction (or to oneself: claiming).
    From a page whose assignee or team is no longer the case's (`seen`), it is refused.

    Changes: case.assignee, a history row and an internal timeline event. Sends (after
    commit): a notification to the assignee, unless they took it themselves.
    """
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        if not roles & ASSIGNERS:
            raise ActionRefused(_("Only coordinators and supervisors assign cases."))
        if case.state not in OPEN_STATES:
            refuse_unavailable(case)
        if expected_assignee is not None and (case.assignee_id or 0) != expected_assignee:
            raise CaseChanged(_("Someone else assigned this case a moment ago."))
        refuse_if_changed(case, seen, watching=(ASSIGNEE, TEAM))
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
        case_assigned_event(case=case, actor=actor, assignee=assignee)
        if assignee is not None and assignee.pk != actor.pk:  # claiming tells no one
            notify(
                recipients=[assignee],
                kind=NotificationKind.ASSIGNED,
                case=case,
                params={"by": actor.name},
            )
        case_changed(case)
    return case


def case_claim(*, actor: User, case_id: int, seen: SeenCase | None = None) -> Case:
    """Take an unassigned case oneself. A case someone else holds is refused, naming them:
    taking it from them is an explicit reassignment, not a claim from a stale page.

    Changes: case.assignee, a history row and an internal timeline event."""
    with transaction.atomic():
        case, _roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        if case.assignee_id == actor.pk:
            return case
        if case.assignee_id is not None:
            raise CaseChanged(
                _("%(name)s has already taken this case. To take it over, reassign it.")
                % {"name": case.assignee.name}
            )
        return case_assign(
            actor=actor, case_id=case_id, assignee_id=actor.pk, expected_assignee=0, seen=seen
        )


def case_record_agreed_amount(*, actor: User, case_id: int, amount: Decimal) -> Case:
    """The amount a binding mediation agreement gives the worker on this case.

    Changes: case.amount_agreed and a history row. Other apps (mediation) change a case only
    through services like this one."""
    with transaction.atomic():
        case, _roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        case.amount_agreed = amount
        case._history_user = actor
        case._change_reason = "agreement binding"
        case.save(update_fields=["amount_agreed", "updated_at"])
    return case


def case_record_verified_amount(*, actor: User, case: Case, amount: Decimal, reason: str) -> None:
    """The amount staff verified is owed on this case (the arrears ledger keeps its basis).

    Changes: case.amount_verified and a history row with the reason. The caller holds the
    case row locked (Case.objects.lock_for) and has checked the actor's role."""
    case.amount_verified = amount
    case._history_user = actor
    case._change_reason = f"verified amount: {reason}" if reason else "verified amount"
    case.save(update_fields=["amount_verified", "updated_at"])


def case_add_note(
    *, actor: User, case_id: int, body: str, is_public: bool, seen: SeenCase | None = None
) -> CaseNote:
    """Staff write a note, internal or visible to the worker. Changes: a note and an event.
    Sends (after commit), for a note the worker sees: a notification and a text message.

    A note written on a page that showed another state (`seen`) is refused: it may answer a
    situation that is over (a public "we are contacting the employer" on a withdrawn case).
    A new assignee or team does not make a note wrong, so they do not refuse it."""
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_("The note is empty."), field="body")
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        if not roles & STAFF_ROLES:
            raise ActionRefused(_("Only staff on this case can write notes."))
        refuse_if_changed(case, seen, watching=(STATE,))
        note = CaseNote(case=case, author=actor, body=body, is_public=is_public)
        note._history_user = actor
        note.save()
        note_added_event(case=case, actor=actor, body=body, is_public=is_public)
        if is_public:  # the worker reads it on their timeline: tell them, also by text
            notify(recipients=[case.worker], kind=NotificationKind.PUBLIC_NOTE, case=case, sms=True)
        case_changed(case)
    return note


# The queue's bulk actions -------------------------------------------------------------------

BULK_LIMIT = 100


@dataclass(frozen=True)
class BulkOutcome:
    reference: str
    done: bool
    message: str  # in the actor's language, starting with the reference


def cases_bulk_assign(
    *,
    actor: User,
    chosen: list[tuple[int, SeenCase | None]],
    assignee_id: int | None = None,
    claim: bool = False,
) -> list[BulkOutcome]:
    """Claim several cases (`claim`), or give them to one person, from the queue: each case
    goes through case_claim / case_assign on its own (its own transaction, permission and
    staleness checks: what the queue row showed, `seen`), so one refusal stops no other.

    An id the actor may not see raises CaseNotFound before anything changes (a 404: a forged
    form learns nothing and changes nothing). Returns what happened to each case, in order."""
    ids = list(dict.fromkeys(case_id for case_id, _seen in chosen))
    if not ids:
        raise ActionRefused(_("Tick at least one case."))
    if len(ids) > BULK_LIMIT:
        raise ActionRefused(_("Choose at most %(n)d cases at a time.") % {"n": BULK_LIMIT})
    if not claim and not assignee_id:
        raise ActionRefused(_("Choose whom to assign them to."), field="assignee")
    references = dict(
        Case.objects.filter(visible_cases_q(scope_for(actor)), pk__in=ids).values_list(
            "pk", "reference"
        )
    )
    if len(references) != len(ids):
        raise CaseNotFound
    seen_by_id = dict(chosen)
    outcomes = []
    for case_id in ids:
        reference = references[case_id]
        try:
            if claim:
                case = case_claim(actor=actor, case_id=case_id, seen=seen_by_id[case_id])
                done = _("%(reference)s: the case is yours now.")
            else:
                case = case_assign(
                    actor=actor,
                    case_id=case_id,
                    assignee_id=assignee_id,
                    seen=seen_by_id[case_id],
                )
                done = _("%(reference)s: assigned to %(name)s.")
            name = case.assignee.name if case.assignee else ""
            outcomes.append(
                BulkOutcome(reference, True, done % {"reference": reference, "name": name})
            )
        except CaseNotFound:  # it moved out of the actor's sight since the queue was shown
            outcomes.append(
                BulkOutcome(
                    reference,
                    False,
                    _("%(reference)s: you can no longer see this case.") % {"reference": reference},
                )
            )
        except ActionRefused as refusal:
            outcomes.append(
                BulkOutcome(
                    reference,
                    False,
                    _("%(reference)s: %(reason)s")
                    % {"reference": reference, "reason": refusal.message},
                )
            )
    return outcomes
