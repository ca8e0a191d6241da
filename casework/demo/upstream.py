"""Demo upstream work orders, registered through the real services: hotline work orders (one
of them from a worker who already complained in the app: a duplicate waiting to be merged), a
12333 order in another street, and a clue from the national platform with its deadline; one
hotline order's case concluded, its reply ready to draft."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from casework.cases.choices import Category, Channel
from casework.cases.services.transitions import case_transition
from casework.channels.models import UpstreamOrder
from casework.channels.services import WorkOrder, upstream_order_register
from casework.intake.services import Complaint, PartyInput
from casework.organisation.models import Unit, User
from platforms.models import Company

# (channel, reference, staff who registers, street code, mobile, name, employer short name,
# claim, text, received days ago, resolve it)
DEMO_ORDERS = [
    (Channel.HOTLINE_12345, "12345-DEMO-0001", "xixing.coordinator", "xixing", "13800138001",
     "陈师傅", "速达外卖", "3260.00",
     "来电人反映在西兴街道为速达外卖送餐，近两个月配送费3260元未结算，此前已在安薪APP投诉。", 3,
     False),
    (Channel.HOTLINE_12345, "12345-DEMO-0002", "xixing.coordinator", "xixing", "13800138011",
     "何师傅", "速达外卖", "1850.00",
     "来电人反映站点以“押金”名义扣留工资1850元，离职后仍未退还，要求协调处理。", 6, True),
    (Channel.HOTLINE_12333, "12333-DEMO-0001", "changhe.coordinator", "changhe", "13800138012",
     "罗师傅", "飞驰出行", "4200.00",
     "来电人反映飞驰出行合作车队拖欠9月至10月流水分成4200元，多次催要未果。", 2, False),
    (Channel.NATIONAL_CLUE, "QGXS-DEMO-2026-0001", "xixing.coordinator", "xixing", "13800138013",
     "马师傅", "速达外卖", "9600.00",
     "全国根治欠薪线索反映平台转办：反映人称速达外卖西兴站点拖欠三名骑手工资共计9600元，"
     "请于规定时限内核实处理并反馈。", 1, False),
]  # fmt: skip


def seed_demo_upstream(supervisor: User) -> int:
    """Once: nothing happens when the first demo work order exists already."""
    if UpstreamOrder.objects.filter(reference=DEMO_ORDERS[0][1]).exists():
        return 0
    today = timezone.localdate()
    created = 0
    for row in DEMO_ORDERS:
        channel, reference, username, street, mobile, name, employer, claim, text, ago, done = row
        company = Company.objects.filter(short_name=employer).first()
        received = today - timedelta(days=ago)
        order = WorkOrder(
            channel=channel,
            reference=reference,
            received_on=received,
            worker_mobile=mobile,
            worker_name=name,
            text=text,
            complaint=Complaint(
                category=Category.PAY_ARREARS,
                description=text,
                jurisdiction=Unit.objects.get(code=street),
                period_start=today - timedelta(days=75),
                period_end=today - timedelta(days=20),
                parties=[PartyInput(kind=company.kind, company=company)],
                amount_claimed=Decimal(claim),
            ),
        )
        case, is_new = upstream_order_register(
            actor=User.objects.get(username=username), order=order
        )
        created += int(is_new)
        if is_new and done:
            for step, inputs in (
                ("accept", {}),
                ("start_verification", {}),
                ("resolve", {"waiver": "工人确认站点已当面退还押金，放弃其余请求。"}),
            ):
                case_transition(actor=supervisor, case_id=case.pk, name=step, **inputs)
    return created
