"""Payments and their corrections: append-only rows, never more than is owed."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.choices import CONFIRMED_STATUSES, PaymentMethod, PaymentSource, PaymentStatus
from arrears.models import Payment
from arrears.money import ZERO, parse_amount
from arrears.services.common import (
    LEDGER_STAFF,
    parse_day,
    refuse_if_no_money,
    refuse_unless,
    today,
)
from casework.cases.models import Case
from casework.core.errors import ActionRefused, NotFound
from casework.core.money import yuan
from casework.core.roles import Role
from casework.core.uploads import check_evidence_file
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.access import scope_for
from casework.organisation.models import User
from casework.timeline.choices import EventKind
from casework.timeline.events import ledger_event
from platforms.responses.access import lock_for_representative

BINDING = "binding"  # mediation's AgreementStatus.BINDING (arrears does not import mediation)


class PaymentNotFound(NotFound):
    """No such payment on this case (or the case is not the actor's to see)."""


def _instalment_model():
    return Payment._meta.get_field("instalment").related_model


def payment_record(
    *,
    actor: User,
    case_id: int,
    amount,
    paid_on,
    method: str,
    proof=None,
    instalment_id: int | None = None,
    source: str = PaymentSource.STAFF,
    note: str = "",
) -> Payment:
    """Record money paid to the worker on a case.

    `source="staff"`: staff on the case record it (with proof when they have it);
    `source="employer"`: what the employer reports paying (its representative on the platform
    portal or API, or staff taking the employer's word). Either way the worker is asked to
    confirm it; it counts as recovered once they do, or once staff have checked its proof.

    Refused (ActionRefused, nothing written): an amount that is not a positive number of yuan
    with at most two decimals, or above ¥10,000,000; a date in the future, before the
    agreement it pays (or before the period worked); more than is still owed; a proof file
    that is not a photo or a PDF; an instalment of another case. CaseNotFound for a case the
    actor may not see.

    Changes: one Payment row (history), a timeline entry the worker reads; sends the worker a
    notification and a text asking them to confirm (after commit)."""
    amount = parse_amount(amount)
    paid_on = parse_day(paid_on, field="paid_on")
    if method not in PaymentMethod.values:
        raise ActionRefused(_("Choose how the money was paid."), field="method")
    if source not in PaymentSource.values:
        raise ActionRefused(_("Say who reports this payment."), field="source")
    note = (note or "").strip()
    if len(note) > 200:
        raise ActionRefused(_("The note is at most 200 characters."), field="note")
    if paid_on > today():
        raise ActionRefused(_("The date paid cannot be in the future."), field="paid_on")
    checked = None
    if proof:
        try:
            checked = check_evidence_file(proof)
        except ValidationError as error:
            raise ActionRefused(" ".join(error.messages), field="proof") from None
    with transaction.atomic():
        # The case row is locked first: two payments recorded at the same moment are added
        # one after the other, so together they cannot pay more than is owed.
        case, roles = _lock_for_payment(actor=actor, case_id=case_id, source=source)
        if source == PaymentSource.EMPLOYER:
            refuse_unless(roles, LEDGER_STAFF | {Role.PLATFORM_REPRESENTATIVE})
        else:
            refuse_unless(roles, LEDGER_STAFF, _("Only staff on this case record payments."))
        refuse_if_no_money(case)
        instalment = _instalment_of(case, instalment_id)
        earliest = _earliest_day(case, instalment)
        if paid_on < earliest:
            raise ActionRefused(
                _("The date paid cannot be before %(day)s (the agreement or the period worked).")
                % {"day": f"{earliest:%Y-%m-%d}"},
                field="paid_on",
            )
        paid = Payment.objects.filter(case=case).aggregate(total=Sum("amount"))["total"] or ZERO
        owed = case.amount_owed
        if paid + amount > owed:
            raise ActionRefused(
                _(
                    "%(amount)s is more than is still owed: %(owed)s owed, %(paid)s paid, "
                    "%(left)s outstanding. Nothing was recorded."
                )
                % {
                    "amount": yuan(amount),
                    "owed": yuan(owed),
                    "paid": yuan(paid),
                    "left": yuan(max(owed - paid, ZERO)),
                },
                field="amount",
            )
        payment = Payment(
            case=case,
            amount=amount,
            paid_on=paid_on,
            method=method,
            source=source,
            instalment=instalment,
            note=note,
            recorded_by=actor,
        )
        if checked is not None:
            payment.proof_sha256 = checked.sha256
            payment.proof_content_type = checked.content_type
            payment.proof = checked.upload
        payment._history_user = actor
        payment.save()
        detail = f"{yuan(amount)} · {PaymentSource(source).label}"
        ledger_event(case=case, actor=actor, kind=EventKind.PAYMENT_RECORDED, detail=detail)
        notify(
            recipients=[case.worker],
            kind=NotificationKind.PAYMENT_TO_CONFIRM,
            case=case,
            params={"amount": yuan(amount)},
            sms=True,
        )
        case_changed(case)
    return payment


def _lock_for_payment(*, actor: User, case_id, source: str):
    """Staff lock the case through their scope; an employer's representative (who is never
    staff) through the companies they answer for: a case that names none of them, or that the
    bureau has not taken up, answers CaseNotFound (a 404) before anything is read."""
    if source == PaymentSource.EMPLOYER and not _is_staff(actor):
        return lock_for_representative(user=actor, case_id=case_id)
    return Case.objects.lock_for(actor=actor, case_id=case_id)


def _is_staff(actor: User) -> bool:
    scope = scope_for(actor)
    return scope.is_admin or scope.is_staff_member


def _instalment_of(case: Case, instalment_id):
    if instalment_id in (None, ""):
        return None
    try:
        return (
            _instalment_model()
            .objects.select_related("line__agreement")
            .get(pk=int(instalment_id), line__case=case, line__agreement__status=BINDING)
        )
    except (ValueError, TypeError, OverflowError, _instalment_model().DoesNotExist):
        raise ActionRefused(
            _("Choose an instalment of this case's agreement."), field="instalment"
        ) from None


def _earliest_day(case: Case, instalment):
    """A payment of an instalment is made after its agreement was drawn up; any payment,
    after the work it pays for began."""
    if instalment is not None:
        return timezone.localdate(instalment.line.agreement.drawn_up_at)
    return case.period_start


def payment_reverse(*, actor: User, case_id: int, payment_id: int, reason: str) -> Payment:
    """Correct a payment recorded in error: a new row of the opposite amount, with the reason.
    The payment itself is never edited. A correction is final: it cannot be reversed (record
    the payment again instead), and a payment is reversed at most once.

    Changes: one Payment row (history), a timeline entry the worker reads. If the reversed
    payment counted as recovered, the reversal takes it back out."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why this payment is corrected."), field="reason")
    if len(reason) > 200:
        raise ActionRefused(_("The reason is at most 200 characters."), field="reason")
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        refuse_unless(roles, LEDGER_STAFF, _("Only staff on this case correct payments."))
        original = payment_locked(case, payment_id)
        if original.is_reversal:
            raise ActionRefused(
                _("A correction cannot itself be corrected: record the payment again instead.")
            )
        if Payment.objects.filter(reverses=original).exists():
            raise ActionRefused(_("This payment has already been corrected."))
        reversal = Payment(
            case=case,
            amount=-original.amount,
            paid_on=original.paid_on,
            method=original.method,
            source=PaymentSource.STAFF,
            instalment=original.instalment,
            reverses=original,
            note=reason,
            # What counted as recovered is taken back out; what did not, stays out.
            status=original.status if original.status in CONFIRMED_STATUSES else "awaiting",
            recorded_by=actor,
        )
        reversal._history_user = actor
        reversal._change_reason = reason
        reversal.save()
        detail = f"{yuan(original.amount)} · {reason}"
        ledger_event(case=case, actor=actor, kind=EventKind.PAYMENT_REVERSED, detail=detail)
        case_changed(case)
    return reversal


def payment_locked(case: Case, payment_id) -> Payment:
    """The payment of the (already locked) case, locked in turn; PaymentNotFound otherwise."""
    try:
        return Payment.objects.select_for_update().get(pk=int(payment_id), case=case)
    except (Payment.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise PaymentNotFound from exc


def unconfirmed_words(case: Case) -> str:
    """Why a paid-up case may not resolve yet: payments the worker disputes or has not
    confirmed (registered with casework's resolve condition)."""
    live = Payment.objects.filter(case=case, reverses__isnull=True, reversal__isnull=True)
    disputed = live.filter(status=PaymentStatus.NOT_RECEIVED).count()
    if disputed:
        return _(
            "The worker says a payment never came (%(n)s): settle it, or correct the payment, "
            "before resolving."
        ) % {"n": disputed}
    waiting = live.filter(status=PaymentStatus.AWAITING).count()
    if waiting:
        return _(
            "%(n)s payment(s) still wait for the worker's confirmation (or staff checking the "
            "proof) before the case can be resolved."
        ) % {"n": waiting}
    return ""


def total(amounts) -> Decimal:
    return sum(amounts, ZERO)
