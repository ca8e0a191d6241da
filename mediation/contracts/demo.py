"""Demo collective contracts for `make run`: one platform contract in force (速达外卖) and one
industry contract still in consultation. Built through the services, so that versions, history
and clocks are real. Idempotent: a contract whose title exists is left alone.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from casework.organisation.models import Unit, User
from mediation.contracts.choices import ScopeKind, Side
from mediation.contracts.models import ClauseTemplate, CollectiveContract
from mediation.contracts.rules import VoteCount, add_years
from mediation.contracts.services.lifecycle import (
    contract_file,
    contract_sign,
    contract_transition,
    contracts_sweep,
)
from mediation.contracts.services.proceedings import representative_add, round_record, vote_record
from mediation.contracts.services.terms import ContractTerms, clause_add, contract_create
from platforms.models import Company

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLATFORM_TITLE = "速达外卖平台新就业形态劳动者权益保障集体合同"
INDUSTRY_TITLE = "滨江区快递行业集体合同"

# (side, name, organisation, position, chief)
SUDA_REPRESENTATIVES = [
    (Side.WORKERS, "陈志刚", "速达外卖工会联合会", "工会联合会主席", True),
    (Side.WORKERS, "刘洋", "速达外卖西兴站", "专送骑手", False),
    (Side.WORKERS, "马晓燕", "速达外卖长河站", "众包骑手", False),
    (Side.EMPLOYER, "林国栋", "杭州速达网络科技有限公司", "副总裁", True),
    (Side.EMPLOYER, "黄敏", "杭州速达网络科技有限公司", "人力资源总监", False),
    (Side.EMPLOYER, "周斌", "杭州滨盛配送服务有限公司", "运营经理", False),
]
SUDA_CLAUSES = {
    "general-purpose": {},
    "hourly-floor": {"hourly_floor": "25.00"},
    "piece-rate": {"piece_rate": "4.80"},
    "settlement-day": {"settlement_day": "10"},
    "commission-cap": {"commission_cap_percent": "18.0"},
    "rest-prompt": {"rest_prompt_after_hours": "4.0", "rest_minutes": "20"},
    "speed-cap": {"speed_cap_kmh": "23"},
    "extreme-weather": {"heat_threshold_celsius": "35", "weather_allowance_per_order": "2.00"},
    "accident-insurance": {"accident_cover": "600000.00"},
    "algorithm-consultation": {"consultation_per_year": "2"},
    "rule-change-notice": {"notice_days": "7"},
    "no-late-deduction": {},  # late deductions abolished, as in Ele.me's 2025 agreement
    "appeal": {"appeal_reply_days": "3"},
    "regular-talks": {"meetings_per_year": "2"},
    "term-and-change": {},
}
INDUSTRY_REPRESENTATIVES = [
    (Side.WORKERS, "吴建华", "滨江区快递行业工会联合会", "主席", True),
    (Side.WORKERS, "孙丽", "滨江区快递行业工会联合会", "快递员代表", False),
    (Side.WORKERS, "郭强", "滨江区快递行业工会联合会", "快递员代表", False),
    (Side.EMPLOYER, "钱海涛", "滨江区快递行业协会", "会长", True),
    (Side.EMPLOYER, "郑静", "滨江区快递行业协会", "秘书长", False),
    (Side.EMPLOYER, "冯凯", "滨江区快递行业协会", "会员企业代表", False),
]
INDUSTRY_CLAUSES = {
    "general-purpose": {},
    "piece-rate": {"piece_rate": "1.20"},
    "settlement-day": {"settlement_day": "15"},
    "daily-hours-cap": {"daily_hours_cap": "11"},
    "extreme-weather": {"heat_threshold_celsius": "35", "weather_allowance_per_order": "0.50"},
    "training": {"training_hours_per_year": "12"},
    "appeal": {"appeal_reply_days": "5"},
    "term-and-change": {},
}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), SHANGHAI)


def _people(contract, actor, people) -> None:
    for side, name, organisation, position, chief in people:
        representative_add(
            actor=actor,
            contract_id=contract.pk,
            side=side,
            name=name,
            organisation=organisation,
            position=position,
            is_chief=chief,
        )


def _clauses(contract, actor, clauses: dict) -> None:
    templates = {t.key: t for t in ClauseTemplate.objects.filter(key__in=clauses)}
    for key, values in clauses.items():
        if key in templates:
            clause_add(
                actor=actor, contract_id=contract.pk, template_id=templates[key].pk, values=values
            )


def _platform_contract(actor: User, today: date) -> bool:
    suda = Company.objects.filter(short_name="速达外卖").first()
    if suda is None or CollectiveContract.objects.filter(title=PLATFORM_TITLE).exists():
        return False
    last_year = today.year - 1
    contract = contract_create(
        actor=actor,
        terms=ContractTerms(
            title=PLATFORM_TITLE,
            scope_kind=ScopeKind.PLATFORM,
            company=suda,
            union_name="速达外卖工会联合会",
            term_start=date(today.year, 1, 1),
            term_end=date(today.year + 1, 12, 31),
            request_on=date(last_year, 10, 15),
            reply_on=date(last_year, 10, 28),
        ),
    )
    _people(contract, actor, SUDA_REPRESENTATIVES)
    _clauses(contract, actor, SUDA_CLAUSES)
    contract_transition(actor=actor, contract_id=contract.pk, name="start_consulting")
    for day, minutes in (
        (
            date(last_year, 11, 5),
            "职工方提出最低小时收入30元、取消超时扣款；企业方提出按区域分档。",
        ),
        (
            date(last_year, 11, 19),
            "双方同意最低小时收入25元、超时扣款归零、连续接单4小时提示休息20分钟。",
        ),
    ):
        round_record(
            actor=actor,
            contract_id=contract.pk,
            held_at=_at(day, 14),
            place="区人力社保局劳动关系科会议室",
            attendees="双方协商代表各三人；区总工会、区人力社保局列席",
            minutes=minutes,
        )
    vote_record(
        actor=actor,
        contract_id=contract.pk,
        count=VoteCount(members=120, attended=97, yes=88, no=5, abstain=4),
        held_at=_at(date(last_year, 12, 3), 15),
    )
    contract_sign(actor=actor, contract_id=contract.pk, on=date(last_year, 12, 8))
    contract_file(actor=actor, contract_id=contract.pk, on=date(last_year, 12, 10))
    # No objection within the review period: the sweep brings it into force, as in production.
    contracts_sweep()
    return True


def _industry_contract(actor: User, today: date) -> bool:
    region = Unit.objects.filter(code="binjiang").first()
    if region is None or CollectiveContract.objects.filter(title=INDUSTRY_TITLE).exists():
        return False
    start = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    contract = contract_create(
        actor=actor,
        terms=ContractTerms(
            title=INDUSTRY_TITLE,
            scope_kind=ScopeKind.REGIONAL_INDUSTRY,
            region=region,
            industry="courier",
            employer_party="滨江区快递行业协会",
            union_name="滨江区快递行业工会联合会",
            term_start=start,
            term_end=add_years(start, 3) - timedelta(days=1),
            request_on=today - timedelta(days=25),
            reply_on=today - timedelta(days=12),
        ),
    )
    _people(contract, actor, INDUSTRY_REPRESENTATIVES)
    _clauses(contract, actor, INDUSTRY_CLAUSES)
    contract_transition(actor=actor, contract_id=contract.pk, name="start_consulting")
    round_record(
        actor=actor,
        contract_id=contract.pk,
        held_at=_at(today - timedelta(days=5), 9),
        place="滨江区快递行业协会会议室",
        attendees="双方协商代表各三人",
        minutes="就派件单价和高温补贴交换意见，职工方要求每件不低于1.30元，下次协商继续。",
    )
    return True


def seed_demo_contracts() -> int:
    """Create the demo contracts if missing; returns how many were created."""
    actor = User.objects.filter(username="district.supervisor").first()
    if actor is None:
        return 0
    today = timezone.localdate()
    created = int(_platform_contract(actor, today)) + int(_industry_contract(actor, today))
    return created
