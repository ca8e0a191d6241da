"""Seed the clause library: the chapters of DOMAIN.md, with parameters modelled on real
agreements (Ele.me's 2025 algorithm agreement: crowd-sourced riders at least 25 yuan an hour,
late-delivery deductions phased out, a 23 km/h speed in delivery-time calculations, a
20-minute rest prompt after 4 hours; Cao Cao Mobility Fuzhou 2023: itemised order earnings,
rest, advanced fares refunded). Admins may edit or add clauses; existing keys are left alone.

The texts here are the library's current ones (tests/factories/seeds.py re-seeds from them after
a flush): the duties fall on {enterprise}, and late deductions are abolished by their own clause;
0005 brings a database seeded with the first texts up to them."""

from django.db import migrations

# key, chapter, position, title, text, parameters with defaults
CLAUSES = [
    (
        "general-purpose",
        "general",
        1,
        "订立依据与适用范围",
        "为维护新就业形态劳动者的合法权益，构建和谐稳定的劳动关系，根据《中华人民共和国劳动法》"
        "《中华人民共和国劳动合同法》《集体合同规定》等法律法规，{union}与{employer}经平等协商，"
        "订立本合同。本合同适用于{scope}的新就业形态劳动者，对{enterprise}及其合作商、代理商具有约束力。",
        {},
    ),
    (
        "hourly-floor",
        "pay",
        1,
        "最低小时收入保障",
        "{enterprise}保障劳动者在线接单时段的劳动报酬每小时不低于{hourly_floor}元，且不低于本市"
        "非全日制用工小时最低工资标准；不足部分由{enterprise}在结算时补足。",
        {"hourly_floor": "25.00"},
    ),
    (
        "piece-rate",
        "pay",
        2,
        "计件单价与收入明细",
        "每单基础报酬不低于{piece_rate}元。{enterprise}应逐单列明订单收入构成（基础报酬、距离、"
        "时段、天气等加价及各项扣减），劳动者可随时在应用内查询。",
        {"piece_rate": "4.50"},
    ),
    (
        "settlement-day",
        "pay",
        3,
        "报酬结算与支付",
        "劳动报酬按月结算，{enterprise}应于每月{settlement_day}日前足额支付上月报酬，"
        "不得无故拖欠或克扣。",
        {"settlement_day": "15"},
    ),
    (
        "fare-advance",
        "pay",
        4,
        "垫付费用返还",
        "劳动者在服务过程中垫付的高速通行费、停车费等费用，{enterprise}应在{fare_refund_days}日内"
        "核实并返还。",
        {"fare_refund_days": "7"},
    ),
    (
        "commission-cap",
        "commission",
        1,
        "抽成上限与收费公示",
        "{enterprise}向劳动者收取的抽成（含信息服务费）不超过订单金额的{commission_cap_percent}%，"
        "抽成比例及其调整应在应用内显著位置公示；不得向劳动者收取押金、准入金或强制收取会员费。",
        {"commission_cap_percent": "20.0"},
    ),
    (
        "rest-prompt",
        "hours",
        1,
        "连续工作提示与休息",
        "劳动者连续接单满{rest_prompt_after_hours}小时的，系统应提示休息并暂停派单"
        "不少于{rest_minutes}分钟，休息期间不影响劳动者的评级和派单权重。",
        {"rest_prompt_after_hours": "4.0", "rest_minutes": "20"},
    ),
    (
        "daily-hours-cap",
        "hours",
        2,
        "每日接单时长上限",
        "劳动者当日累计接单时长超过{daily_hours_cap}小时的，系统停止派发新订单。",
        {"daily_hours_cap": "12"},
    ),
    (
        "speed-cap",
        "safety",
        1,
        "配送时限与安全速度",
        "算法计算配送时限所依据的骑行速度不高于每小时{speed_cap_kmh}公里；遇恶劣天气、"
        "交通管制、电梯等候等情形的，相应延长配送时限，不得以超时为由扣减报酬。",
        {"speed_cap_kmh": "23"},
    ),
    (
        "extreme-weather",
        "safety",
        2,
        "极端天气补贴与防护",
        "遇暴雨、台风、暴雪、冰冻等极端天气，或气温达到{heat_threshold_celsius}摄氏度以上时，"
        "{enterprise}每单另行发放不低于{weather_allowance_per_order}元的补贴，并免费提供防暑降温、"
        "防雨防寒用品；劳动者在红色预警期间有权拒绝接单，不因此受到处罚。",
        {"heat_threshold_celsius": "35", "weather_allowance_per_order": "2.00"},
    ),
    (
        "accident-insurance",
        "insurance",
        1,
        "职业伤害保障与商业保险",
        "{enterprise}按规定为劳动者参加新就业形态人员职业伤害保障，并投保保额不低于"
        "{accident_cover}元的商业意外伤害保险，保费不得由劳动者承担或变相扣减。",
        {"accident_cover": "600000.00"},
    ),
    (
        "training",
        "training",
        1,
        "安全与技能培训",
        "{enterprise}每年为劳动者免费提供不少于{training_hours_per_year}小时的交通安全、"
        "职业技能和劳动权益培训，培训时间计入在线时长。",
        {"training_hours_per_year": "8"},
    ),
    (
        "algorithm-consultation",
        "algorithm",
        1,
        "算法规则协商",
        "派单、计价、配送时限、奖惩等涉及劳动者切身利益的算法和规则，{enterprise}每年与{union}"
        "协商不少于{consultation_per_year}次，并向劳动者代表说明主要规则及其调整理由。",
        {"consultation_per_year": "2"},
    ),
    (
        "rule-change-notice",
        "algorithm",
        2,
        "规则变更提前公示",
        "{enterprise}修改涉及劳动报酬、工作时间、奖惩等规则的，应至少提前{notice_days}日公示并"
        "听取{union}意见；未经公示的规则不得作为扣款或处罚的依据。",
        {"notice_days": "7"},
    ),
    (
        "no-late-deduction",
        "penalties",
        1,
        "取消超时扣款",
        "{enterprise}不以配送超时为由扣减劳动者报酬，以服务分等正向激励代替；因恶劣天气、交通管制、"
        "商家出餐延误等非劳动者原因造成的超时，不影响劳动者的评价和派单。",
        {},
    ),
    (
        "late-deduction",
        "penalties",
        2,
        "超时扣款逐步取消",
        "{enterprise}逐步取消超时扣款，以服务分等正向激励代替；过渡期内每单超时扣款不超过"
        "{late_deduction_cap}元，且不得超过该单基础报酬。",
        {"late_deduction_cap": "2.00"},
    ),
    (
        "appeal",
        "penalties",
        3,
        "申诉与人工复核",
        "劳动者对扣款、处罚、限单、封号等决定有异议的，可通过应用内申诉渠道提出申诉，"
        "{enterprise}应在{appeal_reply_days}日内人工复核并书面答复；封号前应经人工复核，"
        "复核期间不得限制接单。",
        {"appeal_reply_days": "3"},
    ),
    (
        "regular-talks",
        "talks",
        1,
        "定期协商与争议处理",
        "双方每年开展定期协商不少于{meetings_per_year}次。因履行本合同发生争议的，双方应协商解决；"
        "协商不成的，可以提请人力资源社会保障行政部门协调处理，或依法申请劳动争议仲裁。",
        {"meetings_per_year": "2"},
    ),
    (
        "term-and-change",
        "term",
        1,
        "合同期限、变更与终止",
        "本合同期限自{term_start}起至{term_end}止。期满前三个月内，任何一方均可书面提出续订要求。"
        "本合同的变更、解除，适用本合同订立的程序。本合同经职工代表大会或者全体职工讨论通过、"
        "双方首席代表签字，报送人力资源社会保障行政部门，自其收到文本之日起十五日内未提出异议的即行生效。",
        {},
    ),
]


def seed(apps, schema_editor):
    ClauseTemplate = apps.get_model("contracts", "ClauseTemplate")
    for key, chapter, position, title, text, parameters in CLAUSES:
        ClauseTemplate.objects.get_or_create(
            key=key,
            defaults={
                "chapter": chapter,
                "position": position,
                "title": title,
                "text": text,
                "parameters": parameters,
            },
        )


def unseed(apps, schema_editor):
    ClauseTemplate = apps.get_model("contracts", "ClauseTemplate")
    ContractClause = apps.get_model("contracts", "ContractClause")
    used = ContractClause.objects.values("template_id")
    ClauseTemplate.objects.filter(key__in=[c[0] for c in CLAUSES]).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
