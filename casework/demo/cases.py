"""Demo complaints, filed and moved through the real services so `make run` shows live work."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from casework.cases.choices import Category, Channel
from casework.cases.models import Case
from casework.cases.services.transitions import case_transition
from casework.intake.services import Complaint, PartyInput, case_file
from casework.organisation.models import Unit, User
from platforms.choices import CompanyKind
from platforms.models import Company

# (worker mobile, street code, the employer chain by short name (platform first), category,
# claim, description, path). The last two wait for the employer's answer: 速达外卖's
# representative sees both, 滨盛配送's (an operator under it) only the one naming it. The
# ledger's demo (casework/demo/ledger.py) works on the first two.
DEMO_CASES = [
    (
        "13800138001",
        "xixing",
        ("速达外卖",),
        Category.PAY_ARREARS,
        "3260.00",
        "2026年9月至10月的配送费共3260元至今未结算，站点说等平台打款，已拖欠一个多月。",
        ["accept", "start_verification"],
    ),
    (
        "13800138002",
        "xixing",
        ("速达外卖",),
        Category.FINE_DEDUCTION,
        "860.00",
        "因超时被连续罚款，共扣860元，申诉后无人处理，罚款规则从未公示。",
        ["accept"],
    ),
    (
        "13800138003",
        "changhe",
        ("飞驰出行",),
        Category.ACCOUNT_BAN,
        "0.00",
        "账号被突然封禁，平台称有乘客投诉，但未说明是哪一单，也没有申诉渠道。",
        [],
    ),
    (
        "13800138004",
        "xixing",
        ("速达外卖", "滨盛配送"),
        Category.PAY_ARREARS,
        "2480.00",
        "10月份跑单收入2480元，站点一直说平台还没结算，11月发薪日也没有到账。",
        ["accept", "start_verification", "request_response"],
    ),
    (
        "13800138005",
        "xixing",
        ("速达外卖",),
        Category.FINE_DEDUCTION,
        "640.00",
        "系统以“异常订单”为由扣了640元，没有说明是哪几单，客服只回复按规则处理。",
        ["accept", "start_verification", "request_response"],
    ),
]


def seed_demo_cases(actor: User) -> list[Case]:
    """File the demo complaints once (nothing happens if a demo worker already has a case)."""
    workers = {u.mobile: u for u in User.objects.filter(mobile__in=[c[0] for c in DEMO_CASES])}
    if Case.objects.filter(worker__in=workers.values()).exists():
        return []
    today = timezone.localdate()
    cases = []
    for mobile, street, chain, category, claim, description, path in DEMO_CASES:
        companies = {c.short_name: c for c in Company.objects.filter(short_name__in=chain)}
        complaint = Complaint(
            category=category,
            description=description,
            jurisdiction=Unit.objects.get(code=street),
            period_start=today - timedelta(days=75),
            period_end=today - timedelta(days=20),
            parties=[
                PartyInput(kind=CompanyKind(companies[name].kind), company=companies[name])
                for name in chain
            ],
            amount_claimed=Decimal(claim),
            still_working=True,
            consent_to_share=True,
        )
        case = case_file(actor=workers[mobile], complaint=complaint, channel=Channel.ONLINE)
        for name in path:
            case_transition(actor=actor, case_id=case.pk, name=name)
        cases.append(case)
    return cases
