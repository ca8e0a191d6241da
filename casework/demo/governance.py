"""Demo governance work, through the real services: a district campaign in progress (three of
five companies screened), findings open and corrected, a lecture, a round table with one
commitment overdue; then the risk sweep, which puts 速达外卖 at red (three findings left past
their correction deadline, three open) and tells the district supervisor.

Idempotent: nothing happens once the demo campaign exists."""

from datetime import timedelta

from django.utils import timezone

from casework.governance.models import Campaign
from casework.governance.services import (
    campaign_create,
    commitment_add,
    outreach_record,
    round_table_record,
    screening_record,
    screening_reinspect,
)
from casework.organisation.models import Unit, User
from platforms.models import Company
from platforms.risk.services import risk_recompute

CAMPAIGN = "新就业形态劳动用工专项整治行动"


def seed_demo_governance() -> bool:
    if Campaign.objects.filter(name=CAMPAIGN).exists():
        return False
    today = timezone.localdate()
    people = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    supervisor, assistant = people["district.supervisor"], people["xixing.assistant"]
    inspector = people["inspector"]
    units = {u.code: u for u in Unit.objects.filter(code__in=["binjiang", "xixing", "changhe"])}
    companies = {c.short_name: c for c in Company.objects.exclude(short_name="")}
    targets = ["速达外卖", "鲜到家", "飞驰出行", "滨盛配送", "江南骑士"]
    campaign = campaign_create(
        actor=supervisor,
        name=CAMPAIGN,
        unit_id=units["binjiang"].pk,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=60),
        target_ids=[companies[name].pk for name in targets if name in companies],
    )

    def screen(who, company, unit, days_ago, failed, manner="on_site"):
        return screening_record(
            actor=who,
            company_id=companies[company].pk,
            unit_id=units[unit].pk,
            screened_on=today - timedelta(days=days_ago),
            manner=manner,
            inspector_ids=[who.pk],
            failed=failed,
            correction_days=10 if failed else None,
            campaign_id=campaign.pk,
        )

    screen(
        assistant,
        "速达外卖",
        "xixing",
        45,
        {
            "contracts": "抽查20名骑手，仅6人签订书面协议",
            "rules_published": "超时罚款规则和派单规则未向骑手公示",
            "injury_protection": "部分骑手未纳入职业伤害保障",
        },
    )
    screen(inspector, "鲜到家", "xixing", 20, {}, manner="documents")
    corrected = screen(
        inspector, "飞驰出行", "changhe", 30, {"social_insurance": "驾驶员社保缴纳不全"}
    )
    screening_reinspect(
        actor=inspector,
        screening_id=corrected.pk,
        reinspected_on=today - timedelta(days=5),
        corrected=["social_insurance"],
        note="已补缴",
    )
    outreach_record(
        actor=supervisor,
        unit_id=units["xixing"].pk,
        held_on=today - timedelta(days=14),
        topic="新就业形态劳动者权益保障政策解读",
        companies_reached=36,
        workers_reached=420,
    )
    meeting = round_table_record(
        actor=supervisor,
        unit_id=units["xixing"].pk,
        held_on=today - timedelta(days=30),
        topic="外卖骑手劳动报酬与休息保障圆桌会",
        participants="区人力社保局、西兴街道、速达外卖、滨盛配送、骑手代表5名",
        minutes="平台承诺公示罚款规则，站点承诺按月结算配送费。",
    )
    commitment_add(
        actor=supervisor,
        round_table_id=meeting.pk,
        party="速达外卖",
        company_id=companies["速达外卖"].pk,
        promise="在骑手端公示超时罚款和派单规则",
        due_on=today - timedelta(days=7),
    )
    commitment_add(
        actor=supervisor,
        round_table_id=meeting.pk,
        party="滨盛配送",
        company_id=companies["滨盛配送"].pk if "滨盛配送" in companies else None,
        promise="每月10日前结清上月配送费",
        due_on=today + timedelta(days=20),
    )
    risk_recompute()
    return True


_USERNAMES = ["district.supervisor", "xixing.assistant", "inspector"]
