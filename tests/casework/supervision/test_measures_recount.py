"""Every figure of the statistics page equals a recount done the slow way, row by row in
Python, on random small districts (hypothesis): filing days, streets, categories, companies,
how far each case went, payments and their confirmation, changes after the fact (a case moved
to another street or category, a payment confirmed, an amount agreed), and the filters. On
PostgreSQL the page reads daily rollups kept by triggers (without a platform filter) and
counts the rows (with one): both are held to the recount, and the rollups the triggers kept
to what a rebuild from scratch counts."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from arrears.choices import CONFIRMED_STATUSES
from arrears.models import Payment
from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case, CaseParty
from casework.clocks.models import Deadline, DeadlineStatus
from casework.clocks.work_calendar import forget_calendar
from casework.organisation.access import scope_for
from casework.supervision.filters import MeasureFilters
from casework.supervision.measures import CHAIN_KINDS, dashboard_measures_for_user, week_start
from casework.timeline.models import CaseEvent
from platforms.figures.counting import RESPONSE_RULE, percentile_cont
from tests.factories.cases import make_case_on, make_case_worker, make_org, transition_on

TODAY = date(2026, 3, 20)
pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=15)]
PATHS = {
    "filed": [],
    "accepted": ["accept"],
    "verifying": ["accept", "start_verification"],
    "awaiting": ["accept", "start_verification", "request_response"],
    "resolved": ["accept", "start_verification", "resolve"],
    "declined": ["decline"],
}
INPUTS = {"decline": {"reason": "不属于本部门受理范围。"}, "resolve": {"waiver": "工人放弃其余。"}}

a_case = st.fixed_dictionaries(
    {
        "day": st.integers(min_value=1, max_value=18),
        "street": st.sampled_from("ab"),
        "category": st.sampled_from(["pay_arrears", "fine_deduction", "min_wage"]),
        "company": st.sampled_from(["platform", "operator"]),
        "path": st.sampled_from(list(PATHS)),
        "verified": st.sampled_from([None, "800.00", "1200.50"]),
        "payment": st.sampled_from([None, ("300.00", "received"), ("250.25", "awaiting")]),
        # A change after the fact, which the rollups must follow (PostgreSQL's triggers).
        "later": st.sampled_from([None, "moved", "recategorised", "confirmed", "agreed"]),
    }
)
a_filter = st.fixed_dictionaries(
    {
        "start": st.integers(min_value=1, max_value=15),
        "length": st.integers(min_value=0, max_value=25),
        "street": st.sampled_from([None, "a", "b"]),
        "category": st.sampled_from(["", "pay_arrears", "min_wage"]),
        "company": st.sampled_from([None, "operator"]),
    }
)


@pytest.fixture(scope="module")
def calendar():
    forget_calendar()
    yield
    forget_calendar()


def _build(org, spec) -> None:
    boss = org.supervisor
    street = getattr(org, spec["street"]).street
    case = make_case_on(
        date(2026, 3, spec["day"]),
        worker=make_case_worker(),
        street=street,
        category=spec["category"],
        platform=getattr(org, spec["company"]),
    )
    for step, name in enumerate(PATHS[spec["path"]], start=1):
        transition_on(date(2026, 3, spec["day"]) + timedelta(days=step), case, name, boss,
                      **INPUTS.get(name, {}))  # fmt: skip
    if spec["verified"]:
        Case.objects.filter(pk=case.pk).update(amount_verified=Decimal(spec["verified"]))
    if spec["payment"]:
        amount, status = spec["payment"]
        Payment.objects.create(case=case, amount=Decimal(amount), status=status,
                               paid_on=date(2026, 3, spec["day"]), recorded_by=boss)  # fmt: skip
    later = Case.objects.filter(pk=case.pk)
    if spec["later"] == "moved":
        later.update(jurisdiction=(org.b if spec["street"] == "a" else org.a).street)
    elif spec["later"] == "recategorised":
        later.update(category="min_wage" if spec["category"] != "min_wage" else "pay_arrears")
    elif spec["later"] == "confirmed":
        Payment.objects.filter(case=case, status="awaiting").update(status="received")
    elif spec["later"] == "agreed":
        later.update(amount_agreed=Decimal("900.00"))


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def _recount(filters: MeasureFilters, streets: set[int]) -> dict:
    """The figures the slow way: every row read, every rule applied here."""
    since, until = _moment(filters.start), _moment(filters.end + timedelta(days=1))
    cases = [c for c in Case.objects.all() if c.jurisdiction_id in streets]
    if filters.category:
        cases = [c for c in cases if c.category == filters.category]
    if filters.company_id:
        named = set(
            CaseParty.objects.filter(company_id=filters.company_id).values_list(
                "case_id", flat=True
            )
        )
        cases = [c for c in cases if c.pk in named]
    ids = {c.pk for c in cases}
    filed = [c for c in cases if since <= c.created_at < until]
    filed_ids = {c.pk for c in filed}
    open_cases = [c for c in cases if c.state in OPEN_STATES]
    events = [e for e in CaseEvent.objects.all() if e.case_id in ids and e.kind == "transition"]
    resolved = [e for e in events if e.transition == "resolve" and since <= e.created_at < until]
    weeks = Counter(week_start(timezone.localtime(c.created_at).date()) for c in filed)
    resolved_weeks = Counter(week_start(timezone.localtime(e.created_at).date()) for e in resolved)

    def waits(transition):
        firsts = {}
        for e in events:
            if e.transition == transition and e.case_id in filed_ids:
                firsts[e.case_id] = min(firsts.get(e.case_id, e.created_at), e.created_at)
        created = {c.pk: c.created_at for c in filed}
        days = [(firsts[pk] - created[pk]).total_seconds() / 86400 for pk in firsts]
        return [round(v, 1) if v is not None else None
                for v in (percentile_cont(days, 0.5), percentile_cont(days, 0.9))]  # fmt: skip

    payments = [
        p for p in Payment.objects.all() if p.case_id in ids and p.status in CONFIRMED_STATUSES
    ]
    clocks = [d for d in Deadline.objects.select_related("rule") if d.case_id in ids]
    closed = [d for d in clocks if d.closed_at and since <= d.closed_at < until]
    cases_by_id = {c.pk: c for c in cases}
    overdue = [d for d in clocks if d.status == DeadlineStatus.RUNNING and d.due_on < TODAY
               and cases_by_id[d.case_id].state in OPEN_STATES]  # fmt: skip
    requests = [d for d in clocks if d.rule.key == RESPONSE_RULE
                and filters.start <= d.started_on <= filters.end]  # fmt: skip
    chain = {(p.case_id, p.company_id) for p in CaseParty.objects.select_related("company")
             if p.company_id and p.company.kind in CHAIN_KINDS}  # fmt: skip
    open_ids = {c.pk for c in open_cases}
    return {
        "open_by_company": Counter(company for case, company in chain if case in open_ids),
        "open_by_state": Counter(c.state for c in open_cases),
        "open_by_category": Counter(c.category for c in open_cases),
        "open_by_street": Counter(c.jurisdiction_id for c in open_cases),
        "new": sum(weeks.values()),
        "weeks": (weeks, resolved_weeks),
        "claimed": sum((c.amount_claimed for c in filed), Decimal("0.00")),
        "verified": sum((c.amount_verified or 0 for c in filed), Decimal("0.00")),
        "agreed": sum((c.amount_agreed or 0 for c in filed), Decimal("0.00")),
        "owed": sum(
            (c.amount_agreed or c.amount_verified or c.amount_claimed for c in filed),
            Decimal("0.00"),
        ),
        "recovered": sum(
            (p.amount for p in payments if filters.start <= p.paid_on <= filters.end),
            Decimal("0.00"),
        ),
        "recovered_on_filed": sum(
            (p.amount for p in payments if p.case_id in filed_ids and p.paid_on <= filters.end),
            Decimal("0.00"),
        ),
        "met": Counter(d.rule.key for d in closed if d.status == DeadlineStatus.MET),
        "late": Counter(d.rule.key for d in closed if d.status == DeadlineStatus.BREACHED),
        "overdue": Counter(d.rule.key for d in overdue),
        "to_acceptance": waits("accept"),
        "to_resolution": waits("resolve"),
        "requests": sum(1 for d in requests if d.status != DeadlineStatus.CANCELLED),
        "answered": sum(
            1 for d in requests if d.status in (DeadlineStatus.MET, DeadlineStatus.BREACHED)
        ),
        "on_time": sum(1 for d in requests if d.status == DeadlineStatus.MET),
    }


@settings(
    max_examples=4,
    deadline=None,
    # Each example files cases through the real services (seconds): no shrinking, the
    # failing example is printed as found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(a_case, min_size=1, max_size=6), chosen=a_filter)
def test_every_figure_equals_a_recount(calendar, specs, chosen):
    # The examples share the test's transaction: the recount reads every row, so what the
    # earlier examples left counts on both sides.
    org = make_org()
    for spec in specs:
        _build(org, spec)
    start = date(2026, 3, chosen["start"])
    street = getattr(org, chosen["street"]).street if chosen["street"] else None
    filters = MeasureFilters(
        start=start,
        end=start + timedelta(days=chosen["length"]),
        preset="custom",
        unit_id=street.pk if street else None,
        category=chosen["category"],
        company_id=org.operator.pk if chosen["company"] else None,
    )
    m = dashboard_measures_for_user(user=org.supervisor, filters=filters)
    # The supervisor's streets (and those of earlier examples under the same district).
    supervised = scope_for(org.supervisor).supervised_unit_ids
    streets = {street.pk} if street else set(supervised)
    expected = _recount(filters, streets)

    assert {k: v for k, v in m.open_by_state if v} == dict(expected["open_by_state"])
    assert dict(m.open_by_category) == dict(expected["open_by_category"])
    assert {pk: n for pk, _name, n in m.open_by_street} == dict(expected["open_by_street"])
    new_weeks, resolved_weeks = expected["weeks"]
    assert {w: n for w, n, _r in m.weeks if n} == dict(new_weeks)
    assert {w: r for w, _n, r in m.weeks if r} == dict(resolved_weeks)
    assert m.new_total == expected["new"]
    assert m.money.claimed == expected["claimed"]
    assert m.money.verified == expected["verified"]
    assert m.money.recovered == expected["recovered"]
    assert m.money.recovered_on_filed == expected["recovered_on_filed"]
    assert {r.key: r.met for r in m.clocks if r.met} == dict(expected["met"])
    assert {r.key: r.late for r in m.clocks if r.late} == dict(expected["late"])
    assert {r.key: r.overdue_now for r in m.clocks if r.overdue_now} == dict(expected["overdue"])
    assert [m.to_acceptance.median, m.to_acceptance.p90] == expected["to_acceptance"]
    assert [m.to_resolution.median, m.to_resolution.p90] == expected["to_resolution"]
    assert m.responses_requested == expected["requests"]
    assert m.responses_answered == expected["answered"]
    assert m.responses_on_time == expected["on_time"]
    assert m.money.agreed == expected["agreed"]
    assert m.money.owed == expected["owed"]
    assert {pk: n for pk, _name, n in m.open_by_company} == dict(expected["open_by_company"])
    if connection.vendor == "postgresql":
        _the_triggers_kept_what_a_rebuild_counts()


ROLLUPS = ("casework_measureday", "casework_clockday", "casework_statecount",
           "casework_opencompanycount", "casework_waitcount")  # fmt: skip


KEYS = {"jurisdiction_id", "rule_id", "company_id", "cell"}


def _rollup_rows() -> dict[str, set]:
    """Every rollup row that counts something (rows brought back to zero may stay)."""
    rows = {}
    with connection.cursor() as cursor:
        for table in ROLLUPS:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table names)
            names = [col.name for col in cursor.description]
            found = set()
            for row in cursor.fetchall():
                values = dict(zip(names, row, strict=True))
                values.pop("id")
                counts = [
                    v for k, v in values.items() if k not in KEYS and isinstance(v, int | Decimal)
                ]
                if any(counts):
                    found.add(tuple(sorted(values.items())))
            rows[table] = found
    return rows


def _the_triggers_kept_what_a_rebuild_counts():
    kept = _rollup_rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT casework_measures_rebuild()")
        cursor.execute("SELECT casework_waits_rebuild()")
    assert _rollup_rows() == kept
