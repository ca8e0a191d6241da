"""Seed N realistic cases on PostgreSQL quickly, with COPY.

What a district sees: a case's state follows its age (last week's complaints are still being
accepted, last year's are closed), pay arrears and fines dominate, a few platforms and their
operators carry most complaints, and each case has the timeline, amounts, payments and running
clocks its state implies: verified amounts after verification, agreed amounts after mediation,
instalments (some partial) once agreed, resolved cases paid or waived, a running clock for every
open case (old open cases are overdue, as in life), collective groups of workers against one
employer. The demo organisation (seed_demo) provides streets, teams and staff; this module adds
more employers (a district screens 230+ platform enterprises) and the workers.

Idempotent by count: seeding N again adds nothing, a larger N adds the difference. Rows are
written with COPY in batches of BATCH cases, one transaction each. Bench data only: no history
rows, and concluded cases keep no closed clocks.
"""

import bisect
import itertools
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from casework.cases.choices import MONEY_CATEGORIES, CaseState, Category
from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case
from casework.clocks.models import DeadlineRule
from casework.clocks.work_calendar import load_calendar
from casework.management.commands.seed_demo import seed_demo
from casework.organisation.choices import TeamKind
from casework.organisation.models import Team, Unit, User
from platforms.choices import CompanyKind, Industry
from platforms.models import Company
from platforms.validators import uscc_check_character

S = CaseState
BATCH = 20_000
TZ = ZoneInfo("Asia/Shanghai")
SPAN_DAYS = 2 * 365

# State by age: (younger than this many days, weights). Open cases are recent; a thin tail of
# old open cases is what the overdue queue is for.
STATES_BY_AGE = [
    (7, {S.SUBMITTED: 45, S.ACCEPTED: 18, S.VERIFYING: 14, S.AWAITING_RESPONSE: 4,
         S.MEDIATING: 3, S.NOT_ACCEPTED: 6, S.TRANSFERRED: 4, S.WITHDRAWN: 4, S.RESOLVED: 2}),
    (30, {S.SUBMITTED: 4, S.ACCEPTED: 8, S.VERIFYING: 22, S.AWAITING_RESPONSE: 8,
          S.MEDIATING: 12, S.AGREEMENT_REACHED: 8, S.MEDIATION_FAILED: 2, S.RESOLVED: 14,
          S.REFERRED: 3, S.NOT_ACCEPTED: 6, S.TRANSFERRED: 3, S.WITHDRAWN: 5, S.CLOSED: 5}),
    (90, {S.ACCEPTED: 0.3, S.VERIFYING: 4, S.AWAITING_RESPONSE: 0.7, S.MEDIATING: 1.5,
          S.AGREEMENT_REACHED: 3, S.MEDIATION_FAILED: 0.7, S.RESOLVED: 26, S.REFERRED: 7,
          S.NOT_ACCEPTED: 3, S.TRANSFERRED: 1, S.WITHDRAWN: 3, S.CLOSED: 50}),
    (365, {S.VERIFYING: 0.2, S.AGREEMENT_REACHED: 0.5, S.MEDIATION_FAILED: 0.1, S.RESOLVED: 8,
           S.REFERRED: 5, S.NOT_ACCEPTED: 0.5, S.WITHDRAWN: 0.5, S.CLOSED: 85}),
    (None, {S.VERIFYING: 0.03, S.AGREEMENT_REACHED: 0.1, S.RESOLVED: 3, S.REFERRED: 4,
            S.CLOSED: 92}),
]  # fmt: skip
A, V, RR, RC, M = (
    "accept",
    "start_verification",
    "request_response",
    "record_response",
    "start_mediation",
)
# How each state is reached from "submitted": (weight, transitions).
PATHS = {
    S.SUBMITTED: [(1, [])],
    S.ACCEPTED: [(1, [A])],
    S.VERIFYING: [(8, [A, V]), (2, [A, V, RR, RC])],
    S.AWAITING_RESPONSE: [(1, [A, V, RR])],
    S.MEDIATING: [(7, [A, V, M]), (3, [A, V, RR, M])],
    S.AGREEMENT_REACHED: [(1, [A, V, M, "reach_agreement"])],
    S.MEDIATION_FAILED: [(1, [A, V, M, "fail_mediation"])],
    S.REFERRED: [
        (5, [A, V, "refer"]),
        (3, [A, V, M, "fail_mediation", "refer"]),
        (2, [A, V, M, "reach_agreement", "report_breach"]),
    ],
    S.RESOLVED: [(5, [A, V, "resolve"]), (5, [A, V, M, "reach_agreement", "resolve"])],
    S.NOT_ACCEPTED: [(1, ["decline"])],
    S.TRANSFERRED: [(1, ["transfer"])],
    S.WITHDRAWN: [(6, ["withdraw"]), (4, [A, V, "withdraw"])],
}
PATHS[S.CLOSED] = [
    (share * weight / sum(w for w, _p in PATHS[state]), [*path, "close"])
    for state, share in [
        (S.RESOLVED, 60),
        (S.REFERRED, 15),
        (S.NOT_ACCEPTED, 12),
        (S.WITHDRAWN, 8),
        (S.TRANSFERRED, 5),
    ]
    for weight, path in PATHS[state]
]
TARGET = {
    A: S.ACCEPTED, V: S.VERIFYING, RR: S.AWAITING_RESPONSE, RC: S.VERIFYING, M: S.MEDIATING,
    "reach_agreement": S.AGREEMENT_REACHED, "fail_mediation": S.MEDIATION_FAILED,
    "resolve": S.RESOLVED, "refer": S.REFERRED, "report_breach": S.REFERRED,
    "decline": S.NOT_ACCEPTED, "transfer": S.TRANSFERRED, "withdraw": S.WITHDRAWN,
    "close": S.CLOSED,
}  # fmt: skip
# Typical days from the previous step; the whole path is squeezed into the case's age.
GAP_DAYS = {
    A: 2, V: 3, RR: 4, RC: 4, M: 8, "reach_agreement": 10, "fail_mediation": 14, "resolve": 25,
    "refer": 12, "report_breach": 40, "decline": 3, "transfer": 2, "withdraw": 8, "close": 20,
}  # fmt: skip
CATEGORIES = {
    Category.PAY_ARREARS: 35, Category.FINE_DEDUCTION: 18, Category.SETTLEMENT_ERROR: 10,
    Category.ACCOUNT_BAN: 10, Category.COMMISSION: 5, Category.DISPATCH_ALGORITHM: 5,
    Category.MIN_WAGE: 3, Category.HOURS_REST: 3, Category.OCCUPATIONAL_INJURY: 3,
    Category.SOCIAL_INSURANCE: 3, Category.DEPOSIT_FEE: 2, Category.RELATION_CONFIRM: 1,
    Category.RULE_NOT_PUBLISHED: 1, Category.RETALIATION: 1,
}  # fmt: skip
STREETS = {"xixing": 35, "changhe": 25, "puyan": 20, "digital-park": 20}
RELATIONSHIPS = {
    "undetermined": 40, "incomplete_labour_relation": 30, "self_employed": 20,
    "labour_relation": 10,
}  # fmt: skip
CHANNELS = {"online": 70, "walk_in": 20, "phone": 10}
DESCRIPTIONS = [
    "配送费未按时结算，多次联系站点无果。",
    "站点以差评为由扣款，未给出依据。",
    "离职后最后一个月的报酬至今未发放。",
    "平台结算金额与订单记录不符，少算了夜间补贴。",
    "队长拖欠三个月工资，称总部尚未打款。",
    "账号被封后押金不予退还。",
]
DECLINE = "不属于本局管辖事项，已告知向有权机关反映。"
REASONS = {
    "decline": DECLINE,
    "transfer": "用工单位注册地在外区，转该区人力社保局处理。",
    "withdraw": "劳动者与站点已自行协商解决。",
    "fail_mediation": "企业不同意调解方案。",
    "record_response": "企业书面回应称已核对订单，同意补发。",
}
REFERRAL = ("arbitration", "滨劳人仲案〔{year}〕{n}号")
WAIVER = "劳动者书面同意放弃剩余款项。"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红玉兰飞鹏辉斌宇浩凯健俊帆"
WORKERS_PER_CASE = 0.5  # a worker files two complaints on average

# Employers beyond the demo's seven: (kind, industry, how many, name pattern, short pattern).
WORDS = [w + v for w in "迅优云极安乐顺捷飞青" for v in "达途行鸽"]
SUFFIX = {Industry.FOOD_DELIVERY: "外卖", Industry.RIDE_HAILING: "出行", Industry.COURIER: "快递"}
AREAS = ["杭州", "滨江", "萧山", "余杭", "浙江", "钱塘", "西湖", "拱墅"]
EXTRA_EMPLOYERS = [
    (CompanyKind.PLATFORM, 20, "浙江{w}网络科技有限公司", "{w}{s}"),
    (CompanyKind.OPERATOR, 140, "{a}{w}配送服务有限公司", "{w}配送{n}"),
    (CompanyKind.FRANCHISEE, 30, "{a}{w}商贸有限公司", "{w}加盟{n}"),
    (CompanyKind.AGENCY, 50, "{a}{w}人力资源有限公司", "{w}人力{n}"),
]


def _weighted(weights: dict) -> tuple[list, list[float]]:
    return list(weights), list(itertools.accumulate(weights.values()))


def _draw(table: tuple[list, list[float]], rng: random.Random):
    keys, cumulative = table
    return keys[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def _zipf(items: list, exponent: float = 1.1) -> tuple[list, list[float]]:
    return _weighted({item: 1 / (rank + 1) ** exponent for rank, item in enumerate(items)})


INDUSTRIES = _weighted({Industry.FOOD_DELIVERY: 6, Industry.RIDE_HAILING: 3, Industry.COURIER: 2})


def _ts(moment: datetime) -> str:
    return moment.isoformat()


def _money(cents: int | None) -> str:
    return "\\N" if cents is None else f"{cents // 100}.{cents % 100:02d}"


def _copy(table: str, columns: str, rows: list[tuple]) -> None:
    """COPY rows (tuples of str, already formatted; None for NULL) into table."""
    if not rows:
        return
    text = "\n".join("\t".join("\\N" if v is None else str(v) for v in row) for row in rows)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        copy.write(text + "\n")


def _reserve_ids(table: str, count: int) -> int:
    """Take `count` consecutive ids from the table's sequence; returns the first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        last = cursor.fetchone()[0]
    return last - count + 1


# Employers and workers ------------------------------------------------------------------------


def _seed_employers() -> None:
    """Add the extra employers once, keyed by their credit codes."""
    existing = set(Company.objects.exclude(credit_code=None).values_list("credit_code", flat=True))
    rng = random.Random(3)
    serial = itertools.count(1)
    parents = {
        CompanyKind.OPERATOR: CompanyKind.PLATFORM,
        CompanyKind.FRANCHISEE: CompanyKind.PLATFORM,
        CompanyKind.AGENCY: CompanyKind.OPERATOR,
    }
    for kind, count, pattern, short in EXTRA_EMPLOYERS:
        above = list(Company.objects.filter(kind=parents.get(kind, "-")).order_by("pk"))
        above_table = _zipf(above) if above else None
        for number in range(1, count + 1):
            body = f"91330108MA2K{next(serial):04d}0"
            code = body + uscc_check_character(body)
            word, area = rng.choice(WORDS), rng.choice(AREAS)
            parent = _draw(above_table, rng) if above_table else None
            industry = parent.industry if parent else _draw(INDUSTRIES, rng)
            if code in existing:
                continue
            Company.objects.create(
                name=pattern.format(w=word, a=area),
                short_name=short.format(w=word, n=number, s=SUFFIX[industry]),
                kind=kind,
                industry=industry,
                credit_code=code,
                parent=parent,
            )


def _seed_workers(total: int) -> list[tuple[int, str]]:
    """Worker accounts bench-0 .. bench-(total-1); returns (pk, display name) of all of them."""
    have = User.objects.filter(username__startswith="bench-").count()
    if have < total:
        rng = random.Random(have)
        first = _reserve_ids("casework_user", total - have)
        joined = _ts(timezone.now())
        rows = [
            (
                first + offset,
                "!",  # Django's marker for "no usable password"
                "f",
                f"bench-{i}",
                "",
                "",
                "",
                "f",
                "t",
                joined,
                f"15{i:09d}",
                rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                "zh-hans",
                "t",
            )
            for offset, i in enumerate(range(have, total))
        ]
        _copy(
            "casework_user",
            "id, password, is_superuser, username, first_name, last_name, email, is_staff, "
            "is_active, date_joined, mobile, display_name, preferred_language, is_worker",
            rows,
        )
    return list(
        User.objects.filter(username__startswith="bench-")
        .order_by("pk")
        .values_list("pk", "display_name")
    )


# Cases ---------------------------------------------------------------------------------------


class _World:
    """What every batch draws from, loaded once."""

    def __init__(self, workers: list[tuple[int, str]]):
        self.workers = workers
        self.streets = {u.code: u for u in Unit.objects.filter(code__in=STREETS)}
        self.street_table = _weighted({self.streets[c].pk: w for c, w in STREETS.items()})
        teams = {(t.unit_id, t.kind): t.pk for t in Team.objects.all()}
        self.station = {pk: teams[(pk, TeamKind.SERVICE_STATION)] for pk in self.street_ids}
        self.coordinators = {pk: teams[(pk, TeamKind.COORDINATORS)] for pk in self.street_ids}
        self.command = Team.objects.get(code="district-command").pk
        caseworkers = User.objects.filter(
            memberships__role__in=["coordinator", "mediator", "inspector"]
        ).distinct()
        self.staff_names = {user.pk: user.name for user in caseworkers}
        self.staff = sorted(self.staff_names)
        companies = list(Company.objects.order_by("pk"))
        self.companies = {company.pk: company for company in companies}
        self.platforms = _zipf([c for c in companies if c.kind == CompanyKind.PLATFORM])
        self.below: dict[int, tuple] = {}
        for company in companies:
            if company.parent_id is not None:
                self.below.setdefault(company.parent_id, []).append(company)
        self.below = {pk: _zipf(items) for pk, items in self.below.items()}
        self.rules = dict(DeadlineRule.objects.values_list("key", "pk"))
        self.rule_days = {
            r.key: (r.length, r.unit, r.warn_before) for r in DeadlineRule.objects.all()
        }
        self.calendar = load_calendar()
        self._due: dict[tuple[str, date], tuple[date, date, bool]] = {}
        self.states = [(limit, _weighted(weights)) for limit, weights in STATES_BY_AGE]
        self.paths = {
            state: _weighted(dict(enumerate(w for w, _p in v))) for state, v in PATHS.items()
        }
        self.categories = _weighted(CATEGORIES)
        self.relationships = _weighted(RELATIONSHIPS)
        self.channels = _weighted(CHANNELS)

    @property
    def street_ids(self) -> list[int]:
        return [u.pk for u in self.streets.values()]

    def due(self, key: str, start: date) -> tuple[date, date, bool]:
        """(due, warn from, provisional) of a clock started on `start`, as the service computes."""
        cached = self._due.get((key, start))
        if cached is None:
            length, unit, warn = self.rule_days[key]
            if unit == "working":
                due = self.calendar.add_working_days(start, length)
                warn_on = due.day
                for _ in range(warn):
                    warn_on -= timedelta(days=1)
                    while not self.calendar.is_working_day(warn_on):
                        warn_on -= timedelta(days=1)
            else:
                due = self.calendar.add_calendar_days(start, length)
                warn_on = due.day - timedelta(days=warn)
            cached = self._due[(key, start)] = (due.day, warn_on, due.provisional)
        return cached


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` cents in `parts` instalments that add up exactly."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if total > parts else []
    return [b - a for a, b in itertools.pairwise([0, *cuts, total])]


class _Batch:
    """The rows of one batch of cases, ready for COPY."""

    def __init__(self):
        self.cases, self.parties, self.events, self.payments, self.deadlines = [], [], [], [], []
        self.groups = []


def _case_rows(world: _World, batch: _Batch, *, first_id: int, number: int, size: int,
               rng: random.Random, now: datetime) -> list[dict]:  # fmt: skip
    today = now.astimezone(TZ).date()
    plans = []
    for offset in range(size):
        age = timedelta(minutes=rng.randint(0, SPAN_DAYS * 24 * 60))
        created = (now - age).astimezone(TZ)
        age_days = age.days
        weights = next(t for limit, t in world.states if limit is None or age_days < limit)
        state = _draw(weights, rng)
        variants = PATHS[state]
        path = variants[_draw(world.paths[state], rng)][1]
        # Steps squeezed into the case's age, so nothing happens in the future.
        gaps = [GAP_DAYS[step] * rng.uniform(0.3, 1.5) for step in path]
        room = max(age.total_seconds() / 86400 - 0.01, 0.0)
        scale = min(1.0, room / sum(gaps)) if gaps and sum(gaps) else 1.0
        moments, at = [], created
        for gap in gaps:
            at += timedelta(days=gap * scale)
            moments.append(at)
        street = _draw(world.street_table, rng)
        category = _draw(world.categories, rng)
        worker_id, worker_name = world.workers[rng.randrange(len(world.workers))]
        channel = _draw(world.channels, rng)
        plans.append(
            {
                "id": first_id + offset,
                "number": number + offset,
                "created": created,
                "state": state,
                "path": path,
                "moments": moments,
                "street": street,
                "team": world.station[street],
                "category": category,
                "worker": worker_id,
                "worker_name": worker_name,
                "channel": channel,
                "filed_by": worker_id if channel == "online" else rng.choice(world.staff),
                "assignee": rng.choice(world.staff)
                if rng.random() < (0.85 if path else 0.3)
                else None,
                "group": None,
                "employer": None,
            }
        )
    _group(world, batch, plans, rng, now)
    for plan in plans:
        _write_case(world, batch, plan, rng, now, today)
    return plans


def _group(world, batch, plans, rng, now) -> None:
    """A few groups per batch: complaints against one employer filed within days of each other;
    at the threshold the group is collective and its open cases move to tier 1."""
    by_time = sorted(
        (p for p in plans if p["category"] in MONEY_CATEGORIES), key=lambda p: p["created"]
    )
    count = max(1, len(plans) // 2500)
    if not by_time:
        return
    first = _reserve_ids("casework_casegroup", count)
    threshold = settings.ANXIN_COLLECTIVE_THRESHOLD
    for n in range(count):
        anchor = rng.randrange(len(by_time))
        size = min(int(3 + rng.paretovariate(1.2) * 3), 60)
        members = [p for p in by_time[anchor : anchor + size] if p["group"] is None]
        if len(members) < 2:
            continue
        employer = _draw(world.platforms, rng)
        below = world.below.get(employer.pk)
        if below and rng.random() < 0.6:
            employer = _draw(below, rng)
        group_id = first + n
        started = max(p["created"] for p in members) + timedelta(hours=rng.randint(2, 72))
        started = min(started, now - timedelta(minutes=1))
        collective = started if len(members) >= threshold else None
        batch.groups.append(
            (group_id, f"{employer}：{members[0]['created']:%Y年%m月}欠薪", _ts(started),
             _ts(collective) if collective else None, rng.choice(world.staff), employer.pk)
        )  # fmt: skip
        for plan in members:
            plan["group"], plan["employer"], plan["grouped_at"] = group_id, employer, started
            if collective and plan["state"] in OPEN_STATES:
                plan["team"] = world.command


def _chain(world: _World, plan: dict, rng: random.Random) -> list:
    """The employer chain named in the complaint: platform, then perhaps operator and agency."""
    employer = plan["employer"]
    if employer is None:
        chain = [_draw(world.platforms, rng)]
        while (below := world.below.get(chain[-1].pk)) and rng.random() < (
            0.6 if len(chain) == 1 else 0.35
        ):
            chain.append(_draw(below, rng))
        return chain
    chain = [employer]
    # The grouped employer may sit lower down: name the companies above it too.
    while chain[0].parent_id is not None:
        chain.insert(0, world.companies[chain[0].parent_id])
    return chain


def _write_case(world, batch, plan, rng, now, today) -> None:
    case_id, created, state, path = plan["id"], plan["created"], plan["state"], plan["path"]
    moments = dict(zip(path, plan["moments"], strict=True))
    money = plan["category"] in MONEY_CATEGORIES
    claimed = int(rng.lognormvariate(8.0, 0.9) * 100) if money else 0
    claimed = min(claimed, 50_000_000)
    verified = agreed = None
    if money and V in moments and (set(path) & {M, "resolve", "refer"} or rng.random() < 0.4):
        verified = int(claimed * rng.uniform(0.6, 1.0))
    if verified is not None and "reach_agreement" in moments:
        agreed = int(verified * rng.uniform(0.8, 1.0))
    owed = agreed if agreed is not None else verified
    waiver = ""
    if owed:
        paid_from = moments.get("reach_agreement") or moments[V]
        paid_to = moments.get("resolve") or moments.get("report_breach") or now
        if "resolve" in moments:
            share = 1.0 if rng.random() < 0.92 else rng.uniform(0.3, 0.9)
            waiver = "" if share == 1.0 else WAIVER
        elif state == S.AGREEMENT_REACHED:
            share = rng.uniform(0.2, 0.8) if rng.random() < 0.55 else 0.0
        elif "report_breach" in moments:
            share = rng.uniform(0.1, 0.6) if rng.random() < 0.4 else 0.0
        else:
            share = 0.0
        total = int(owed * share)
        if total > 0:
            parts = _split(total, rng.choice((1, 1, 2, 3)), rng)
            span = max((paid_to - paid_from).total_seconds(), 60.0)
            for n, cents in enumerate(parts, start=1):
                paid_at = paid_from + timedelta(seconds=span * n / (len(parts) + 0.5))
                # Recorded by staff, by bank transfer, and confirmed by the worker.
                batch.payments.append(
                    (_money(cents), paid_at.date().isoformat(), f"第{n}期", _ts(paid_at),
                     case_id, plan["assignee"] or rng.choice(world.staff),
                     "bank", "staff", "", "", "", "received", "")
                )  # fmt: skip
    # The timeline: filed, then each transition, with the assignment and any escalation.
    staff = plan["assignee"] or rng.choice(world.staff)
    events = batch.events
    events.append(("filed", "", "", S.SUBMITTED, "", "t", _ts(created), plan["worker"], case_id))
    if plan["assignee"]:
        at = created + timedelta(hours=rng.uniform(0.5, 24))
        if at < now:
            name = world.staff_names[staff]
            events.append(("assigned", "", "", "", name, "f", _ts(at), staff, case_id))
    previous = S.SUBMITTED
    for step in path:
        reason = REASONS.get(step, "")
        events.append(
            ("transition", step, previous, TARGET[step], reason, "t", _ts(moments[step]), staff,
             case_id)
        )  # fmt: skip
        previous = TARGET[step]
    team = plan["team"]
    if plan["group"]:
        events.append(("grouped", "", "", "", "", "f", _ts(plan["grouped_at"]), staff, case_id))
        if team == world.command:
            events.append(
                ("collective", "", "", "", "", "t", _ts(plan["grouped_at"]), None, case_id)
            )
    elif state in OPEN_STATES and path and rng.random() < 0.05:
        team = world.coordinators[plan["street"]]
        at = plan["moments"][0] + (now - plan["moments"][0]) * rng.uniform(0.1, 0.9)
        events.append(
            ("escalated", "", "", "", "逾期未处理，升级处理", "f", _ts(at), None, case_id)
        )
    # The clocks an open case has running, started when the service would have started them.
    if state in OPEN_STATES:
        starts = (
            {"INSPECTION_ACCEPT": created} if not path else {"INSPECTION_INVESTIGATE": moments[A]}
        )
        if state == S.AWAITING_RESPONSE:
            starts["PLATFORM_RESPONSE"] = moments[RR]
        elif state == S.MEDIATING:
            starts["MEDIATION"] = moments[M]
        elif state == S.AGREEMENT_REACHED:
            starts["ARBITRATION_REVIEW"] = starts["JUDICIAL_CONFIRMATION"] = moments[
                "reach_agreement"
            ]
        for key, started in starts.items():
            started_on = started.date()
            due, warn_on, provisional = world.due(key, started_on)
            batch.deadlines.append(
                (world.rule_days[key][0], started_on.isoformat(), due.isoformat(),
                 warn_on.isoformat(), "t" if provisional else "f", "running", "f", case_id,
                 world.rules[key])
            )  # fmt: skip
    chain = _chain(world, plan, rng)
    for position, company in enumerate(chain, start=1):
        batch.parties.append((position, company.kind, "", case_id, company.pk))
    if rng.random() < 0.08:
        batch.parties.append(
            (
                len(chain) + 1,
                CompanyKind.SUBCONTRACTOR,
                rng.choice(SURNAMES) + "队长",
                case_id,
                None,
            )
        )
    updated = plan["moments"][-1] if plan["moments"] else created
    referral = ("", "")
    if "refer" in moments or "report_breach" in moments:
        referral = (REFERRAL[0], REFERRAL[1].format(year=created.year, n=plan["number"] % 9000))
    period_start = created.date() - timedelta(days=rng.randint(10, 120))
    period_end = min(period_start + timedelta(days=rng.randint(1, 60)), created.date())
    still = rng.random()
    batch.cases.append(
        (
            case_id,
            f"BN-{created.year}-{plan['number']:07d}",
            state,
            plan["worker_name"],
            plan["channel"],
            plan["category"],
            _draw(world.relationships, rng),
            period_start.isoformat(),
            period_end.isoformat(),
            _money(claimed),
            _money(verified),
            _money(agreed),
            waiver,
            "",
            DESCRIPTIONS[rng.randrange(len(DESCRIPTIONS))],
            "t" if rng.random() < 0.8 else "f",
            DECLINE if "decline" in moments else "",
            *referral,
            _ts(created),
            _ts(updated),
            plan["assignee"],
            plan["filed_by"],
            plan["street"],
            team,
            plan["worker"],
            "",
            "首次接待与事实核查：一线服务站点",
            "t" if still < 0.5 else ("f" if still < 0.9 else None),
            plan["group"],
            chain[-1].pk,  # the employer: the lowest named company
            "",  # the worker's ID number: not given online
        )
    )


CASE_COLUMNS = (
    "id, reference, state, worker_name, channel, category, relationship, period_start, "
    "period_end, amount_claimed, amount_verified, amount_agreed, outstanding_waived, order_ids, "
    "description, consent_to_share, decline_reason, referral_target, referral_reference, "
    "created_at, updated_at, assignee_id, filed_by_id, jurisdiction_id, team_id, worker_id, "
    "limitation_warning, routing_reason, still_working, group_id, employer_id, worker_id_number"
)


def _write(batch: _Batch) -> None:
    """Write one batch in one transaction (in the writer thread, on its own connection)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The rows are consistent by construction: skip the per-row foreign-key triggers
            # (a third of the load time). Needs a superuser, as on the bench machine.
            cursor.execute("SET LOCAL session_replication_role = replica")
        _copy_batch(batch)


def _copy_batch(batch: _Batch) -> None:
    _copy(
        "casework_casegroup",
        "id, title, created_at, collective_since, created_by_id, employer_id",
        batch.groups,
    )
    _copy("casework_case", CASE_COLUMNS, batch.cases)
    _copy("casework_caseparty", "position, kind, name, case_id, company_id", batch.parties)
    _copy(
        "casework_caseevent",
        "kind, transition, from_state, to_state, reason, is_public, created_at, actor_id, case_id,"
        " params",
        [(*event, "{}") for event in batch.events],
    )
    _copy(
        "arrears_payment",
        "amount, paid_on, note, recorded_at, case_id, recorded_by_id, method, source, proof, "
        "proof_sha256, proof_content_type, status, status_note",
        batch.payments,
    )
    _copy(
        "casework_deadline",
        "length, started_on, due_on, warn_on, provisional, status, escalated, case_id, rule_id",
        batch.deadlines,
    )


FIRST_STEPS_SQL = """
UPDATE casework_case c SET first_accepted_at = f.accepted, first_resolved_at = f.resolved
FROM (
    SELECT case_id,
        min(created_at) FILTER (WHERE transition = 'accept') AS accepted,
        min(created_at) FILTER (WHERE transition = 'resolve') AS resolved
    FROM casework_caseevent
    WHERE kind = 'transition' AND transition IN ('accept', 'resolve')
    GROUP BY case_id
) f
WHERE c.id = f.case_id AND c.first_accepted_at IS NULL AND c.first_resolved_at IS NULL
"""


def seeded_count() -> int:
    return Case.objects.count()


def seed_cases(n: int, *, seed: int = 7) -> int:
    """Bring the database to at least n cases; returns how many were added."""
    seed_demo()
    have = seeded_count()
    if have >= n:
        return 0
    _seed_employers()
    world = _World(_seed_workers(max(1, int(n * WORKERS_PER_CASE))))
    now = timezone.now()
    added = 0
    # Generating a batch (Python) overlaps with writing the previous one (PostgreSQL).
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending = None
        while have + added < n:
            size = min(BATCH, n - have - added)
            batch = _Batch()
            _case_rows(
                world,
                batch,
                first_id=_reserve_ids("casework_case", size),
                number=have + added + 1,
                size=size,
                rng=random.Random(seed + have + added),
                now=now,
            )
            if pending is not None:
                pending.result()
                print(f"  seeded {have + added:,} / {n:,} cases", flush=True)
            pending = writer.submit(_write, batch)
            added += size
        pending.result()
        writer.submit(lambda: connection.close()).result()
    print(f"  seeded {have + added:,} / {n:,} cases; ledger rollup and vacuum", flush=True)
    with connection.cursor() as cursor:
        # COPY went past the triggers that keep the employer rollup: count it afresh.
        cursor.execute("SELECT arrears_ledger_rebuild()")
        cursor.execute("SELECT arrears_day_figures_rebuild()")
        # ...and past the transition service that keeps each case's first steps on its row
        # (the statistics page's waits).
        cursor.execute(FIRST_STEPS_SQL)
        # ...and past the triggers that keep the statistics page's daily rollups.
        cursor.execute("SELECT casework_measures_rebuild()")
        cursor.execute("SELECT casework_waits_rebuild()")
        for table in (
            "casework_case", "casework_caseparty", "casework_caseevent", "arrears_payment",
            "casework_deadline", "casework_casegroup", "casework_user", "platforms_company",
            "arrears_ledgerline", "arrears_employerbalance", "arrears_employertotal",
            "arrears_employerworker", "arrears_dayfigures", "casework_measureday",
            "casework_clockday", "casework_statecount", "casework_opencompanycount",
            "casework_waitcount",
        ):  # fmt: skip
            # VACUUM sets the visibility map, so index-only scans work as they would in
            # production after autovacuum; ANALYZE gives the planner the new distributions.
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return added
