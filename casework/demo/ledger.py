"""Money on the demo cases, through the real services: a verified amount and an agreement of
two instalments, the first paid and confirmed on the worker's phone; an employer-reported
payment the worker says never came; and a complaint mediated six weeks ago whose second
instalment was missed: the sweep flagged it and a payment order is open.

Mediation refuses payment dates before today, so that last complaint is filed, verified and
mediated with the clock set back (time-machine, a development dependency like the demo
itself): every date of it is then as it would have been, and its missed instalment is found
by the real sweep. Without time-machine the demo leaves it out."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from arrears.models import Payment
from arrears.services import payment_confirm, payment_record, verified_amount_set
from arrears.services.enforcement import ledger_sweep, payment_order_issue
from casework.cases.choices import Category, Channel
from casework.cases.models import Case
from casework.cases.services.transitions import case_transition
from casework.intake.services import Complaint, PartyInput, case_file
from casework.organisation.models import Unit, User
from mediation.choices import ParticipantSide, PaymentMethod, SessionOutcome, SignatureMethod
from mediation.services.agreements import (
    AgreementTerms,
    SignatureInput,
    agreement_draw_up,
    agreement_sign,
)
from mediation.services.sessions import SessionPlan, SessionRecord, session_record, session_schedule
from platforms.choices import CompanyKind
from platforms.models import Company

# The worker of the complaint mediated six weeks ago (a second complaint of theirs).
OVERDUE_WORKER = "13800138003"


def seed_demo_ledger(cases: list[Case]) -> None:
    """Once, on the freshly filed demo cases (the first two: Xixing street, 速达外卖)."""
    if len(cases) < 2 or Payment.objects.filter(case__in=cases).exists():
        return
    coordinator = User.objects.get(username="xixing.coordinator")
    mediator = User.objects.get(username="xixing.mediator")
    _agreement_with_instalments(Case.objects.get(pk=cases[0].pk), coordinator, mediator)
    _disputed_payment(Case.objects.get(pk=cases[1].pk), coordinator)
    _overdue_with_payment_order(coordinator, mediator)


def _overdue_with_payment_order(coordinator: User, mediator: User) -> None:
    try:
        import time_machine
    except ImportError:  # installed without the development extras: no overdue demo
        return
    supervisor = User.objects.get(username="district.supervisor")
    worker = User.objects.get(mobile=OVERDUE_WORKER)
    then = timezone.now() - timedelta(days=40)
    with time_machine.travel(then, tick=True):
        today = timezone.localdate()
        complaint = Complaint(
            category=Category.PAY_ARREARS,
            description="9月配送费1800元未结算，站点答应分两次付清。",
            jurisdiction=Unit.objects.get(code="xixing"),
            period_start=today - timedelta(days=60),
            period_end=today - timedelta(days=30),
            parties=[
                PartyInput(
                    kind=CompanyKind.PLATFORM, company=Company.objects.get(short_name="速达外卖")
                )
            ],
            amount_claimed=Decimal("1800.00"),
            still_working=False,
            consent_to_share=True,
        )
        case = case_file(actor=worker, complaint=complaint, channel=Channel.ONLINE)
        for name in ("accept", "start_verification"):
            case_transition(actor=supervisor, case_id=case.pk, name=name)
        _agreement_with_instalments(
            Case.objects.get(pk=case.pk), coordinator, mediator, amount="1800.00"
        )
    # Back to today: the second instalment (due 26 days ago) is missed; the sweep tells the
    # team and the worker, and the coordinator orders the employer to pay by a date.
    ledger_sweep()
    payment_order_issue(
        actor=coordinator,
        case_id=case.pk,
        deadline=timezone.localdate() + timedelta(days=14),
        reference="西人社限付〔2026〕1号",
    )


def _verify(case: Case, actor: User, amount: str) -> None:
    verified_amount_set(
        actor=actor,
        case_id=case.pk,
        amount=amount,
        period_start=case.period_start,
        period_end=case.period_end,
        orders="核对平台后台：期间完成订单543单，每单6元",
        deductions="超时罚款未经公示，不予认可",
    )


def _agreement_with_instalments(
    case: Case, coordinator: User, mediator: User, amount: str = "3260.00"
) -> None:
    _verify(case, coordinator, amount)
    now, today = timezone.now(), timezone.localdate()
    session = session_schedule(
        actor=mediator,
        plan=SessionPlan(
            scheduled_at=now + timedelta(minutes=30), mediator=mediator, place="西兴街道调解室"
        ),
        case_id=case.pk,
    )
    session_record(
        actor=mediator,
        session_id=session.pk,
        record=SessionRecord(
            minutes="双方同意分两期支付。", outcome=SessionOutcome.AGREEMENT, attended_ids=set()
        ),
    )
    agreement = agreement_draw_up(
        actor=mediator,
        case_id=case.pk,
        terms=AgreementTerms(
            facts=f"申请人为被申请人配送订单，配送费{amount}元未结算。",
            employer_signatory="周立新",
            payment_method=PaymentMethod.BANK,
            performance_deadline=today + timedelta(days=30),
            amounts={case.pk: Decimal(amount)},
            schedule=[(today, Decimal("50")), (today + timedelta(days=14), Decimal("50"))],
        ),
    )
    for side, case_id, name in (
        (ParticipantSide.WORKER, case.pk, case.worker_name or "劳动者"),
        (ParticipantSide.EMPLOYER, None, "周立新"),
        (ParticipantSide.MEDIATOR, None, mediator.display_name or "调解员"),
    ):
        agreement_sign(
            actor=mediator,
            agreement_id=agreement.pk,
            signature=SignatureInput(
                side=side, signer_name=name, method=SignatureMethod.IN_PERSON, case_id=case_id
            ),
        )
    first = agreement.lines.get().instalments.order_by("due_on").first()
    payment = payment_record(
        actor=coordinator,
        case_id=case.pk,
        amount=first.amount,
        paid_on=today,
        method="bank",
        instalment_id=first.pk,
        note="第一期，银行转账",
    )
    payment_confirm(actor=case.worker, case_id=case.pk, payment_id=payment.pk, received=True)


def _disputed_payment(case: Case, coordinator: User) -> None:
    case_transition(actor=coordinator, case_id=case.pk, name="start_verification")
    _verify(Case.objects.get(pk=case.pk), coordinator, "860.00")
    payment = payment_record(
        actor=coordinator,
        case_id=case.pk,
        amount="500.00",
        paid_on=timezone.localdate(),
        method="platform_wallet",
        source="employer",
        note="平台称已退还罚款500元至骑手钱包",
    )
    payment_confirm(
        actor=case.worker,
        case_id=case.pk,
        payment_id=payment.pk,
        received=False,
        note="钱包里没有看到这笔钱",
    )
