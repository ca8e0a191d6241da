"""Demo of merging and the worker's verdict (好差评): a pair of duplicates waiting to be merged
(same worker, same employer, one filed online, one taken by phone at the station), and
concluded cases rated by their workers, one bad rating under review and one being put right.
Everything goes through the real services; each complaint is filed once (found again by its
description), so a second run changes nothing."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from casework.cases.choices import Category, Channel
from casework.cases.models import Case
from casework.cases.services.transitions import case_transition
from casework.intake.services import Complaint, PartyInput, case_file
from casework.organisation.models import Unit, User
from casework.ratings.models import RatingReview
from casework.ratings.services import case_rate, review_record_callback
from platforms.choices import CompanyKind
from platforms.models import Company

DUPLICATES = (
    "13800138003",
    "changhe",
    "鲜到家",
    "10月份配送收入1850元，平台以“账户异常”为由冻结，至今未提现。",
    "杨帆来电：10月的1850元配送费被平台冻结，没法提现，之前在手机上也投诉过。",
)
# (worker mobile, street, employer, description, rating level, comment, call-back findings)
RATED = [
    (
        "13800138001",
        "xixing",
        "鲜到家",
        "9月补贴680元未发放，站点已补发。",
        5,
        "处理很快，谢谢。",
        "",
    ),
    ("13800138002", "xixing", "鲜到家", "夜间配送补贴420元被扣，核实后退还。", 4, "", ""),
    (
        "13800138004",
        "xixing",
        "鲜到家",
        "恶劣天气加价费300元未结算。",
        1,
        "打了三次电话都没人接，最后也没说清楚结果。",
        "",
    ),
    (
        "13800138005",
        "xixing",
        "鲜到家",
        "押金500元离职后未退还。",
        2,
        "退了押金，但拖了很久。",
        "工人反映受理后两周无人联系；协调员确认未及时告知进展。",
    ),
]


def _file(*, worker, street, employer, description, actor=None, channel=Channel.ONLINE):
    existing = Case.objects.filter(worker=worker, description=description).first()
    if existing is not None:
        return existing, False
    company = Company.objects.get(short_name=employer)
    today = timezone.localdate()
    complaint = Complaint(
        category=Category.PAY_ARREARS,
        description=description,
        jurisdiction=Unit.objects.get(code=street),
        period_start=today - timedelta(days=60),
        period_end=today - timedelta(days=25),
        parties=[PartyInput(kind=CompanyKind(company.kind), company=company)],
        amount_claimed=Decimal("1850.00"),
        still_working=True,
        consent_to_share=True,
    )
    case = case_file(actor=actor or worker, worker=worker, complaint=complaint, channel=channel)
    return case, True


def seed_demo_verdicts(supervisor: User) -> int:
    """The duplicates and the rated cases; returns how many complaints were filed."""
    filed = 0
    workers = {u.mobile: u for u in User.objects.filter(is_worker=True, mobile__startswith="1380")}
    mobile, street, employer, online, by_phone = DUPLICATES
    worker = workers[mobile]
    station = User.objects.get(username="changhe.station")
    first, new = _file(worker=worker, street=street, employer=employer, description=online)
    filed += new
    if new:
        case_transition(actor=station, case_id=first.pk, name="accept")
    _second, new = _file(
        worker=worker,
        street=street,
        employer=employer,
        description=by_phone,
        actor=station,
        channel=Channel.PHONE,
    )
    filed += new
    for mobile, street, employer, description, level, comment, findings in RATED:
        case, new = _file(
            worker=workers[mobile], street=street, employer=employer, description=description
        )
        if not new:
            continue
        filed += 1
        for name in ("accept", "start_verification"):
            case_transition(actor=supervisor, case_id=case.pk, name=name)
        case_transition(
            actor=supervisor,
            case_id=case.pk,
            name="resolve",
            waiver="工人确认款项已由企业直接支付，书面放弃剩余申请金额。",
            reason="企业已支付，工人确认收到。",
        )
        case_rate(actor=workers[mobile], case_id=case.pk, level=level, comment=comment)
        if findings:
            review = RatingReview.objects.get(case=case)
            review_record_callback(actor=supervisor, review_id=review.pk, findings=findings)
    return filed
