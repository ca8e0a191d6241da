"""Writes on mediation agreements: draw one up, record signatures, void a draft.

An agreement is drawn up while its cases are in mediation, printed (PDF) for signing, and
becomes binding when every worker, the employer and the mediator have signed; then each
case reaches `agreement_reached` with the agreed amount, and its instalments are the
schedule the arrears ledger tracks.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.choices import CaseState
from casework.cases.services.handling import case_record_agreed_amount
from casework.cases.services.transitions import case_transition
from casework.core.bounds import check_date_bounds
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.uploads import CheckedFile
from casework.notifications.services import case_changed
from casework.organisation.models import User
from casework.timeline.events import (
    agreement_recorded_event,
    agreement_signed_event,
    agreement_voided_event,
)
from mediation.choices import (
    AgreementStatus,
    ParticipantSide,
    SessionStatus,
    SignatureMethod,
)
from mediation.models import Agreement, AgreementLine, Instalment, MediationSession, Signature
from mediation.services.sessions import RECORDING_ROLES
from mediation.services.terms import (
    MAX_AMOUNT,
    AgreementTerms,
    above_claim_refusal,
    amounts_above_claim,
    check_terms,
    split_by_schedule,
)
from mediation.subjects import Subject, load_subject

__all__ = ["MAX_AMOUNT", "AgreementTerms", "split_by_schedule"]  # where callers found them


def held_session_for(subject: Subject, session_id=None) -> MediationSession:
    """The held session an agreement rests on: the one named, else the latest held."""
    held = MediationSession.objects.filter(**subject.as_fields, status=SessionStatus.HELD)
    if session_id:
        session = held.filter(pk=session_id).first()
    else:
        session = held.order_by("-held_at", "-pk").first()
    if session is None:
        raise ActionRefused(
            _(
                "An agreement is drawn up after a mediation session has taken place: "
                "record the session as held first (under Sessions, “Record this session”)."
            )
        )
    return session


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
        session = held_session_for(subject, terms.session_id)
        amounts = check_terms(cases, terms)
        above = amounts_above_claim(cases, amounts)
        if above and not terms.above_claim_confirmed:
            raise above_claim_refusal(cases, above)
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
            above_claim_confirmed=above,
        )
        agreement._history_user = actor
        if above:
            agreement._change_reason = "drawn up; the mediator confirmed amounts above the claim"
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
        if agreement.session_id is None or agreement.session.status != SessionStatus.HELD:
            raise ActionRefused(
                _(
                    "This agreement does not rest on a mediation session that was held: "
                    "it cannot be signed. Void it and draw it up again after the session."
                )
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
    """Withdraw a draft nobody is bound by yet (the terms changed, or a party refused).

    Changes: the agreement's status, who voided it, when and why (its history row carries
    the reason too), and a public timeline entry on each case naming the draft and the
    reason, so that the worker does not see a later draft as a second live one.
    """
    with transaction.atomic():
        agreement, subject = _lock_agreement(actor=actor, agreement_id=agreement_id)
        if agreement.status != AgreementStatus.SIGNING:
            raise ActionRefused(_("Only an agreement awaiting signatures can be voided."))
        reason = reason.strip()[:2000]
        if not reason:
            raise ActionRefused(_("Please give a reason."), field="reason")
        agreement.status = AgreementStatus.VOID
        agreement.void_reason = reason
        agreement.voided_at = timezone.now()
        agreement.voided_by = actor
        agreement._history_user = actor
        agreement._change_reason = f"void: {reason}"[:100]
        agreement.save()
        drawn_up_on = f"{timezone.localdate(agreement.drawn_up_at):%Y-%m-%d}"
        lines = {line.case_id: line.amount for line in agreement.lines.all()}
        for case in subject.cases:
            if case.pk in lines:
                agreement_voided_event(
                    case=case,
                    actor=actor,
                    reason=reason,
                    drawn_up_on=drawn_up_on,
                    amount=lines[case.pk],
                )
            case_changed(case)
    return agreement
