"""Writes on mediation agreements: draw one up, record signatures, void a draft.

An agreement is drawn up while its cases are in mediation, printed (PDF) for signing, and
becomes binding when every worker, the employer and the mediator have signed; then each
case reaches `agreement_reached` with the agreed amount, and its instalments are the
schedule the arrears ledger tracks.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.cases.services.handling import case_record_agreed_amount
from casework.cases.services.transitions import case_transition
from casework.core.bounds import check_date_bounds
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.uploads import CheckedFile
from casework.notifications.services import case_changed
from casework.organisation.models import User
from casework.timeline.events import agreement_recorded_event, agreement_signed_event
from mediation.choices import AgreementStatus, ParticipantSide, PaymentMethod, SignatureMethod
from mediation.models import Agreement, AgreementLine, Instalment, MediationSession, Signature
from mediation.services.sessions import RECORDING_ROLES
from mediation.subjects import Subject, load_subject

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000.00")
MAX_INSTALMENTS = 24


@dataclass
class AgreementTerms:
    facts: str
    employer_signatory: str
    payment_method: str
    performance_deadline: date
    # case id -> amount agreed for that worker
    amounts: dict[int, Decimal]
    # (due date, percent of each worker's amount)
    schedule: list[tuple[date, Decimal]]
    waived_claims: str = ""
    other_obligations: str = ""
    session_id: int | None = None


def _money(value) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ActionRefused(
            _("Amounts are numbers of yuan, like 1200.50."), field="amounts"
        ) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ActionRefused(
            _("Each amount must be more than 0 and at most %(max)s yuan.") % {"max": MAX_AMOUNT},
            field="amounts",
        )
    if amount != amount.quantize(CENT):
        raise ActionRefused(_("Amounts have at most two decimals."), field="amounts")
    return amount.quantize(CENT)


def _check_terms(cases: list[Case], terms: AgreementTerms) -> dict[int, Decimal]:
    check_date_bounds(performance_deadline=terms.performance_deadline)
    for due, _share in terms.schedule:
        check_date_bounds(schedule=due)
    if not terms.facts.strip():
        raise ActionRefused(_("State the facts and the claims."), field="facts")
    if not terms.employer_signatory.strip():
        raise ActionRefused(
            _("Name the employer's legal representative or agent."), field="employer_signatory"
        )
    if terms.payment_method not in PaymentMethod.values:
        raise ActionRefused(_("Choose how the money is paid."), field="payment_method")
    case_ids = {c.pk for c in cases}
    unknown = set(terms.amounts) - case_ids
    if unknown:
        raise ActionRefused(
            _("An amount was given for a case outside this mediation."), field="amounts"
        )
    amounts = {case_id: _money(value) for case_id, value in terms.amounts.items()}
    if set(amounts) != case_ids:
        raise ActionRefused(_("Give the agreed amount for every worker."), field="amounts")
    today = timezone.localdate()
    if not today <= terms.performance_deadline <= today + timedelta(days=366):
        raise ActionRefused(
            _("The performance deadline is between today and one year from now."),
            field="performance_deadline",
        )
    schedule = terms.schedule
    if not 1 <= len(schedule) <= MAX_INSTALMENTS:
        raise ActionRefused(
            _("Give between 1 and %(n)d payment dates.") % {"n": MAX_INSTALMENTS}, field="schedule"
        )
    dates = [due for due, _share in schedule]
    if dates != sorted(set(dates)):
        raise ActionRefused(_("Payment dates must be different and in order."), field="schedule")
    if dates[0] < today or dates[-1] > terms.performance_deadline:
        raise ActionRefused(
            _("Payment dates fall between today and the performance deadline."), field="schedule"
        )
    shares = [share for _due, share in schedule]
    if any(not share.is_finite() or share <= 0 for share in shares) or sum(shares) != 100:
        raise ActionRefused(_("The shares of the payments add up to 100%."), field="schedule")
    return amounts


def split_by_schedule(amount: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """Instalment amounts to the cent; the last takes the rounding so they add up exactly."""
    parts = [(amount * share / 100).quantize(CENT, rounding=ROUND_HALF_UP) for share in shares[:-1]]
    parts.append(amount - sum(parts, Decimal("0.00")))
    if any(part <= 0 for part in parts):
        raise ActionRefused(
            _("%(amount)s yuan is too little to split into these payments.") % {"amount": amount},
            field="schedule",
        )
    return parts


def agreement_draw_up(
    *, actor: User, terms: AgreementTerms, case_id=None, group_id=None
) -> Agreement:
    """Record the agreed terms, ready to print and sign (its PDF is prepared at once)."""
    from mediation.documents.services import document_request

    with transaction.atomic():
        subject = load_subject(actor=actor, case_id=case_id, group_id=group_id, lock=True)
        if not subject.roles & RECORDING_ROLES:
            raise ActionRefused(_("Only mediators and supervisors draw up an agreement."))
        cases = [c for c in subject.cases if c.state == CaseState.MEDIATING]
        if not cases:
            raise ActionRefused(_("An agreement is drawn up while the case is in mediation."))
        live = Agreement.objects.filter(
            lines__case__in=cases, status__in=[AgreementStatus.SIGNING, AgreementStatus.BINDING]
        )
        if live.exists():
            raise ActionRefused(
                _("An agreement for this case is already awaiting signatures: void it first.")
            )
        employer = subject.employer
        if employer is None:
            raise ActionRefused(_("Record the employer (a known company) on the case first."))
        amounts = _check_terms(cases, terms)
        session = None
        if terms.session_id:
            session = MediationSession.objects.filter(
                pk=terms.session_id, **subject.as_fields
            ).first()
        agreement = Agreement(
            **subject.as_fields,
            session=session,
            employer=employer,
            employer_signatory=terms.employer_signatory.strip()[:100],
            facts=terms.facts.strip()[:20000],
            payment_method=terms.payment_method,
            waived_claims=terms.waived_claims.strip()[:5000],
            other_obligations=terms.other_obligations.strip()[:5000],
            performance_deadline=terms.performance_deadline,
            mediator=actor,
        )
        agreement._history_user = actor
        agreement.save()
        shares = [share for _due, share in terms.schedule]
        instalments = []
        for case in cases:
            line = AgreementLine.objects.create(
                agreement=agreement, case=case, amount=amounts[case.pk]
            )
            parts = split_by_schedule(line.amount, shares)
            instalments += [
                Instalment(line=line, due_on=due, amount=part)
                for (due, _share), part in zip(terms.schedule, parts, strict=True)
            ]
            agreement_recorded_event(case=case, actor=actor, amount=line.amount)
            case_changed(case)
        Instalment.objects.bulk_create(instalments)
        document_request(actor=actor, subject=agreement, kind_key="agreement")
    return agreement


def required_signatures(agreement: Agreement) -> list[tuple[str, int | None]]:
    """(side, case id) of everyone who must sign: each worker, the employer, the mediator."""
    workers = [(ParticipantSide.WORKER.value, line.case_id) for line in agreement.lines.all()]
    return [
        *workers,
        (ParticipantSide.EMPLOYER.value, None),
        (ParticipantSide.MEDIATOR.value, None),
    ]


def _lock_agreement(*, actor: User, agreement_id) -> tuple[Agreement, Subject]:
    try:
        agreement = Agreement.objects.select_for_update().get(pk=int(agreement_id))
    except (Agreement.DoesNotExist, TypeError, ValueError):
        raise CaseNotFound from None
    subject = load_subject(
        actor=actor, case_id=agreement.case_id, group_id=agreement.group_id, lock=True
    )
    if not subject.roles & RECORDING_ROLES:
        if subject.roles:
            raise ActionRefused(_("Only mediators and supervisors record signatures."))
        raise CaseNotFound
    return agreement, subject


@dataclass
class SignatureInput:
    side: str
    signer_name: str
    method: str
    case_id: int | None = None
    scan: CheckedFile | None = None
    signed_at: datetime | None = None


def agreement_sign(*, actor: User, agreement_id, signature: SignatureInput) -> Agreement:
    """Record one party's signature; the last one makes the agreement binding."""
    check_date_bounds(signed_at=signature.signed_at)
    with transaction.atomic():
        agreement, _subject = _lock_agreement(actor=actor, agreement_id=agreement_id)
        if agreement.status != AgreementStatus.SIGNING:
            raise ActionRefused(
                _("This agreement is “%(status)s”: no more signatures are taken.")
                % {"status": AgreementStatus(agreement.status).label}
            )
        side = signature.side
        case_id = signature.case_id if side == ParticipantSide.WORKER else None
        if (side, case_id) not in required_signatures(agreement):
            raise ActionRefused(_("Choose who signs."), field="side")
        if signature.method not in SignatureMethod.values:
            raise ActionRefused(_("Say how the party signed."), field="method")
        if signature.method == SignatureMethod.SCAN and signature.scan is None:
            raise ActionRefused(_("Upload the signed copy."), field="scan")
        name = signature.signer_name.strip()
        if not name:
            raise ActionRefused(_("Give the name of the person who signed."), field="signer_name")
        if agreement.signatures.filter(side=side, case_id=case_id).exists():
            raise ActionRefused(_("This party has already signed."))
        signed_at = signature.signed_at or timezone.now()
        if signed_at > timezone.now() + timedelta(minutes=5) or signed_at < agreement.drawn_up_at:
            raise ActionRefused(
                _("The signature is dated between drawing up and now."), field="signed_at"
            )
        record = Signature(
            agreement=agreement,
            side=side,
            case_id=case_id,
            signer_name=name[:100],
            method=signature.method,
            signed_at=signed_at,
            recorded_by=actor,
        )
        if signature.scan is not None and signature.method == SignatureMethod.SCAN:
            record.scan.save(signature.scan.sha256, signature.scan.upload, save=False)
            record.scan_sha256 = signature.scan.sha256
        record.save()
        signed = set(agreement.signatures.values_list("side", "case_id"))
        if all(needed in signed for needed in required_signatures(agreement)):
            _make_binding(agreement, actor)
    return agreement


def _make_binding(agreement: Agreement, actor: User) -> None:
    from mediation.documents.services import document_issue_version

    agreement.status = AgreementStatus.BINDING
    agreement.binding_at = timezone.now()
    agreement._history_user = actor
    agreement._change_reason = "binding: every party signed"
    agreement.save()
    # the signed version: every signature, the date concluded; the draft reads "superseded"
    document_issue_version(actor=actor, subject=agreement, kind_key="agreement")
    for line in agreement.lines.select_related("case"):
        case = case_record_agreed_amount(actor=actor, case_id=line.case_id, amount=line.amount)
        agreement_signed_event(case=case, actor=actor)
        if case.state == CaseState.MEDIATING:
            case_transition(
                actor=actor,
                case_id=case.pk,
                name="reach_agreement",
                expected_state=CaseState.MEDIATING,
            )


def agreement_void(*, actor: User, agreement_id, reason: str) -> Agreement:
    """Withdraw a draft nobody is bound by yet (the terms changed, or a party refused)."""
    with transaction.atomic():
        agreement, subject = _lock_agreement(actor=actor, agreement_id=agreement_id)
        if agreement.status != AgreementStatus.SIGNING:
            raise ActionRefused(_("Only an agreement awaiting signatures can be voided."))
        if not reason.strip():
            raise ActionRefused(_("Please give a reason."), field="reason")
        agreement.status = AgreementStatus.VOID
        agreement.void_reason = reason.strip()[:2000]
        agreement._history_user = actor
        agreement._change_reason = "void"
        agreement.save()
        for case in subject.cases:
            case_changed(case)
    return agreement
