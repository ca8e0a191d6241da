"""The demo district: fictitious but realistic, modelled on Hangzhou Binjiang.

Kept as data so that seed_demo, the tests and the benchmarks build the same organisation.
"""

from casework.core.roles import Role
from casework.organisation.choices import TeamKind, UnitKind
from platforms.choices import CompanyKind, Industry

DEMO_PASSWORD = "anxin-demo-2026"  # noqa: S105 (demo accounts only; seed_demo refuses in production)

DISTRICT = ("binjiang", "滨江区", UnitKind.DISTRICT)
DEPARTMENTS = [
    ("labour-relations", "区人力社保局劳动关系科"),
    ("inspection", "区劳动保障监察大队"),
    ("arbitration", "区劳动人事争议仲裁院"),
    ("union", "区总工会"),
]
# (code, name, kind, short name used in team names)
JURISDICTIONS = [
    ("xixing", "西兴街道", UnitKind.STREET, "西兴"),
    ("changhe", "长河街道", UnitKind.STREET, "长河"),
    ("puyan", "浦沿街道", UnitKind.STREET, "浦沿"),
    ("digital-park", "滨江数字经济产业园", UnitKind.PARK, "数字经济产业园"),
]
TIER2_TEAMS = [
    (TeamKind.COORDINATORS, "coordinators", "{short}劳动关系协调员队伍"),
    (TeamKind.MEDIATORS, "mediators", "{short}劳动争议调解员队伍"),
    (TeamKind.INSPECTION_ASSISTANTS, "inspection", "{short}劳动保障监察协管员队伍"),
]
STATION_NAME = "{short}新就业形态劳动者服务站"
# How the streets' mediation committees number their agreements (滨江区: 滨).
DOCUMENT_PREFIX = "滨人调字"
# Unit offices in tier-1 units: (team code, unit code, name, covers every jurisdiction)
UNIT_OFFICES = [
    ("district-command", "binjiang", "区新就业形态劳动者权益保障专班", True),
    ("labour-relations-office", "labour-relations", "劳动关系科办公室", True),
    ("inspection-squad", "inspection", "监察大队执法中队", True),
    ("arbitration-office", "arbitration", "仲裁院立案庭", True),
]

# (username, display name, team code, role)
STAFF = [
    ("district.supervisor", "王建国", "district-command", Role.SUPERVISOR),
    ("xixing.supervisor", "陈丽华", "xixing-coordinators", Role.SUPERVISOR),
    ("xixing.coordinator", "李明", "xixing-coordinators", Role.COORDINATOR),
    ("changhe.coordinator", "赵敏", "changhe-coordinators", Role.COORDINATOR),
    ("puyan.coordinator", "孙浩", "puyan-coordinators", Role.COORDINATOR),
    ("park.coordinator", "周婷", "digital-park-coordinators", Role.COORDINATOR),
    ("xixing.mediator", "吴志强", "xixing-mediators", Role.MEDIATOR),
    ("changhe.mediator", "郑芳", "changhe-mediators", Role.MEDIATOR),
    ("inspector", "钱卫东", "inspection-squad", Role.INSPECTOR),
    ("xixing.assistant", "冯涛", "xixing-inspection", Role.INSPECTOR),
    ("xixing.station", "何小勇", "xixing-station", Role.COORDINATOR),
    ("changhe.station", "许佳", "changhe-station", Role.COORDINATOR),
]

# Printed on agreements as the employer's legal representative (fictitious, like the rest).
LEGAL_REPRESENTATIVES = {
    "suda": "周立新",
    "xiandao": "钱海燕",
    "feichi": "孙志远",
    "binsheng": "黄国庆",
    "jiangnan": "冯建华",
    "zhongli": "何晓梅",
    "antu": "吕明杰",
}
# (key, name, short name, kind, industry, parent key, unified social credit code body)
COMPANIES = [
    (
        "suda",
        "杭州速达网络科技有限公司",
        "速达外卖",
        CompanyKind.PLATFORM,
        Industry.FOOD_DELIVERY,
        None,
        "91330108MA2H0001",
    ),
    (
        "xiandao",
        "浙江鲜到家即时配送有限公司",
        "鲜到家",
        CompanyKind.PLATFORM,
        Industry.FOOD_DELIVERY,
        None,
        "91330108MA2H0002",
    ),
    (
        "feichi",
        "浙江飞驰出行科技有限公司",
        "飞驰出行",
        CompanyKind.PLATFORM,
        Industry.RIDE_HAILING,
        None,
        "91330108MA2H0003",
    ),
    (
        "binsheng",
        "杭州滨盛配送服务有限公司",
        "滨盛配送",
        CompanyKind.OPERATOR,
        Industry.FOOD_DELIVERY,
        "suda",
        "91330108MA2H0004",
    ),
    (
        "jiangnan",
        "杭州江南骑士物流有限公司",
        "江南骑士",
        CompanyKind.OPERATOR,
        Industry.FOOD_DELIVERY,
        "xiandao",
        "91330108MA2H0005",
    ),
    (
        "zhongli",
        "浙江众力人力资源有限公司",
        "众力人力",
        CompanyKind.AGENCY,
        Industry.FOOD_DELIVERY,
        "binsheng",
        "91330108MA2H0006",
    ),
    (
        "antu",
        "杭州安途汽车租赁有限公司",
        "安途租车",
        CompanyKind.OPERATOR,
        Industry.RIDE_HAILING,
        "feichi",
        "91330108MA2H0007",
    ),
]
# (username, display name, company key)
REPRESENTATIVES = [
    ("suda.rep", "速达外卖 · 林经理", "suda"),
    ("binsheng.rep", "滨盛配送 · 黄站长", "binsheng"),
    ("feichi.rep", "飞驰出行 · 高主管", "feichi"),
]
# (mobile, display name)
WORKERS = [
    ("13800138001", "张伟"),
    ("13800138002", "刘洋"),
    ("13800138003", "杨帆"),
    ("13800138004", "陈静"),
    ("13800138005", "王磊"),
]
