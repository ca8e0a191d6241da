"""Cases with money on them, made through the services a coordinator and a mediator use."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from arrears.services import payment_confirm, payment_record, verified_amount_set
from casework.cases.choices import CaseState
from casework.cases.models import Case
from mediation.choices import ParticipantSide, PaymentMethod, SignatureMethod
from mediation.services.agreements import (
    AgreementTerms,
    SignatureInput,
    agreement_draw_up,
    agreement_sign,
)
from tests.factories.cases import Org, make_case, put_case_in_state

# Ledger tests take place on Monday 7 December 2026 at 10:00 in Beijing.
NOW = "2026-12-07T10:00+08:00"
TODAY = date(2026, 12, 7)
D = Decimal


def verifying_case(org: Org, **fields) -> Case:
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform, **fields)
    return put_case_in_state(case, CaseState.VERIFYING, org.supervisor)


def verify(org: Org, case: Case, amount: str, reason: str = "") -> None:
    verified_amount_set(
        actor=org.a.coordinator,
        case_id=case.pk,
        amount=amount,
        period_start=case.period_start,
        period_end=case.period_end,
        orders="3月订单412单，每单6元",
        deductions="超时罚款120元不合理",
        reason=reason,
    )


def pay(org: Org, case: Case, amount: str, *, confirm=False, **fields):
    payment = payment_record(
        actor=fields.pop("actor", org.a.coordinator),
        case_id=case.pk,
        amount=amount,
        paid_on=fields.pop("paid_on", TODAY - timedelta(days=1)),
        method=fields.pop("method", "bank"),
        **fields,
    )
    if confirm:
        payment_confirm(actor=case.worker, case_id=case.pk, payment_id=payment.pk, received=True)
    return payment


def binding_agreement(org: Org, case: Case, amount: str, shares_days: list[tuple[int, str]]):
    """Mediation held today, an agreement with instalments `days` after today for `shares`
    percent of `amount`, signed by the worker, the employer and the mediator."""
    from tests.mediation.conftest import hold

    case = Case.objects.get(pk=case.pk)
    hold(org, case)
    today = timezone.localdate()
    terms = AgreementTerms(
        facts="申请人于2026年3月为被申请人配送订单，配送费未结算。",
        employer_signatory="王经理",
        payment_method=PaymentMethod.BANK,
        performance_deadline=today + timedelta(days=max(d for d, _s in shares_days)),
        amounts={case.pk: D(amount)},
        schedule=[(today + timedelta(days=d), D(share)) for d, share in shares_days],
        waived_claims="",
        above_claim_confirmed=True,
    )
    agreement = agreement_draw_up(actor=org.a.mediator, terms=terms, case_id=case.pk)
    for side, case_id, name in (
        (ParticipantSide.WORKER, case.pk, "张师傅"),
        (ParticipantSide.EMPLOYER, None, "王经理"),
        (ParticipantSide.MEDIATOR, None, "调解员"),
    ):
        agreement_sign(
            actor=org.a.mediator,
            agreement_id=agreement.pk,
            signature=SignatureInput(
                side=side, signer_name=name, method=SignatureMethod.IN_PERSON, case_id=case_id
            ),
        )
    agreement.refresh_from_db()
    assert agreement.status == "binding", agreement.status
    return agreement
