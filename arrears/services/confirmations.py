"""The worker says whether each payment reached them; staff may check a payment's proof."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.choices import PaymentStatus
from arrears.models import Payment
from arrears.services.common import LEDGER_STAFF, refuse_unless
from arrears.services.payments import payment_locked
from casework.cases.models import Case
from casework.core.errors import ActionRefused
from casework.core.money import yuan
from casework.notifications.audiences import team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.models import User
from casework.timeline.choices import EventKind
from casework.timeline.events import ledger_event


def _live(payment: Payment) -> None:
    if payment.is_reversal or Payment.objects.filter(reverses=payment).exists():
        raise ActionRefused(_("This payment was corrected: there is nothing to confirm."))


def payment_confirm(
    *, actor: User, case_id: int, payment_id: int, received: bool, note: str = ""
) -> Payment:
    """The worker says whether a payment reached them ("received" / "not received").

    Only the case's worker answers (anyone else is refused, nothing changed). A payment they
    did not receive is flagged to the coordinator: the case's assignee, or the team's
    coordinators when nobody holds it, get a notification that opens the case.

    Changes: the payment's status (history keeps the earlier one), a timeline entry."""
    note = (note or "").strip()
    if len(note) > 500:
        raise ActionRefused(_("The note is at most 500 characters."), field="note")
    with transaction.atomic():
        case, _roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        if case.worker_id != actor.pk:
            raise ActionRefused(_("Only the worker can say whether they received a payment."))
        payment = payment_locked(case, payment_id)
        _live(payment)
        status = PaymentStatus.RECEIVED if received else PaymentStatus.NOT_RECEIVED
        if payment.status == status and payment.status_note == note:
            return payment
        payment.status, payment.status_note = status, note
        payment.status_by, payment.status_at = actor, timezone.now()
        payment._history_user = actor
        payment.save(update_fields=["status", "status_note", "status_by", "status_at"])
        detail = yuan(payment.amount) + (f" · {note}" if note else "")
        kind = EventKind.PAYMENT_CONFIRMED if received else EventKind.PAYMENT_DISPUTED
        ledger_event(case=case, actor=actor, kind=kind, detail=detail)
        if not received:
            notify(
                recipients=_coordinators(case),
                kind=NotificationKind.PAYMENT_DISPUTED,
                case=case,
                params={"amount": yuan(payment.amount)},
            )
        case_changed(case)
    return payment


def _coordinators(case: Case) -> list[User]:
    if case.assignee_id:
        return [case.assignee]
    return team_members(case.team_id)


def payment_verify_proof(*, actor: User, case_id: int, payment_id: int) -> Payment:
    """Staff have checked the payment's proof (a bank slip, a wallet record): the money
    counts as recovered even before the worker answers. Refused for a payment without proof,
    or one the worker says never came.

    Changes: the payment's status (history), an internal timeline entry."""
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        refuse_unless(roles, LEDGER_STAFF, _("Only staff on this case check proof."))
        payment = payment_locked(case, payment_id)
        _live(payment)
        if not payment.proof:
            raise ActionRefused(_("This payment has no proof to check."))
        if payment.status == PaymentStatus.NOT_RECEIVED:
            raise ActionRefused(
                _("The worker says this money never came: settle that with them first.")
            )
        if payment.status in (PaymentStatus.RECEIVED, PaymentStatus.PROOF_VERIFIED):
            return payment
        payment.status = PaymentStatus.PROOF_VERIFIED
        payment.status_by, payment.status_at = actor, timezone.now()
        payment._history_user = actor
        payment.save(update_fields=["status", "status_by", "status_at"])
        ledger_event(
            case=case,
            actor=actor,
            kind=EventKind.PAYMENT_CONFIRMED,
            detail=f"{yuan(payment.amount)} · {_('proof checked by staff')}",
            is_public=False,
        )
        case_changed(case)
    return payment
