"""Seed N realistic cases on PostgreSQL quickly, with bulk inserts.

Distributions follow what a district sees: most cases are closed or resolved, pay arrears and
fines dominate, the two big delivery platforms carry most complaints, each case has a short
timeline. The demo organisation (seed_demo) provides streets, teams, staff and platforms.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from casework.case_choices import CaseState, Category, EventKind
from casework.choices import TeamKind
from casework.management.commands.seed_demo import seed_demo
from casework.models import Case, CaseEvent, CaseParty, Team, Unit, User
from platforms.models import Company

STATE_WEIGHTS = {
    CaseState.CLOSED: 38,
    CaseState.RESOLVED: 12,
    CaseState.SUBMITTED: 10,
    CaseState.ACCEPTED: 6,
    CaseState.VERIFYING: 10,
    CaseState.AWAITING_RESPONSE: 5,
    CaseState.MEDIATING: 5,
    CaseState.AGREEMENT_REACHED: 4,
    CaseState.MEDIATION_FAILED: 1,
    CaseState.REFERRED: 3,
    CaseState.NOT_ACCEPTED: 3,
    CaseState.TRANSFERRED: 1,
    CaseState.WITHDRAWN: 2,
}
CATEGORY_WEIGHTS = {
    Category.PAY_ARREARS: 35,
    Category.FINE_DEDUCTION: 18,
    Category.SETTLEMENT_ERROR: 10,
    Category.ACCOUNT_BAN: 10,
    Category.COMMISSION: 5,
    Category.DISPATCH_ALGORITHM: 5,
    Category.MIN_WAGE: 3,
    Category.HOURS_REST: 3,
    Category.OCCUPATIONAL_INJURY: 3,
    Category.SOCIAL_INSURANCE: 3,
    Category.DEPOSIT_FEE: 2,
    Category.RELATION_CONFIRM: 1,
    Category.RULE_NOT_PUBLISHED: 1,
    Category.RETALIATION: 1,
}
BATCH = 5000


def _pick(weights: dict, rng: random.Random):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _set_times(table: str, rows: list, *, both: bool = False) -> None:
    columns = "created_at = v.ts, updated_at = v.ts" if both else "created_at = v.ts"
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        values = ", ".join(["(%s, %s::timestamptz)"] * len(chunk))
        params = [item for row in chunk for item in row]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS target SET {columns} FROM (VALUES {values}) AS v(id, ts) "  # noqa: S608
                "WHERE target.id = v.id",
                params,
            )


def seeded_count() -> int:
    return Case.objects.count()


def seed_cases(n: int, *, seed: int = 7) -> int:
    """Bring the database to at least n cases; returns how many were added."""
    seed_demo()
    have = seeded_count()
    if have >= n:
        return 0
    rng = random.Random(seed + have)
    jurisdictions = list(Unit.objects.filter(kind__in=["street", "park"]).order_by("pk"))
    stations = {team.unit_id: team for team in Team.objects.filter(kind=TeamKind.SERVICE_STATION)}
    platforms = list(Company.objects.filter(kind="platform").order_by("pk"))
    operators = list(Company.objects.exclude(kind="platform").order_by("pk"))
    staff = list(User.objects.filter(is_worker=False, is_superuser=False).order_by("pk"))
    now = timezone.now()
    workers_needed = max(1, (n - have) // 3)
    existing_workers = User.objects.filter(is_worker=True, username__startswith="bench-").count()
    User.objects.bulk_create(
        [
            User(
                username=f"bench-{i}",
                mobile=f"15{i:09d}",
                display_name=f"骑手{i}",
                is_worker=True,
                password="!",  # noqa: S106 (Django's marker for "no usable password")
            )
            for i in range(existing_workers, workers_needed)
        ],
        batch_size=BATCH,
    )
    worker_ids = list(
        User.objects.filter(username__startswith="bench-").values_list("pk", flat=True)
    )
    added = 0
    while have + added < n:
        size = min(BATCH, n - have - added)
        cases, started = [], have + added
        for i in range(size):
            number = started + i + 1
            created = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
            place = rng.choice(jurisdictions)
            category = _pick(CATEGORY_WEIGHTS, rng)
            start = created.date() - timedelta(days=rng.randint(10, 120))
            cases.append(
                Case(
                    reference=f"BN-{created.year}-{number:07d}",
                    state=_pick(STATE_WEIGHTS, rng),
                    worker_id=rng.choice(worker_ids),
                    worker_name=f"骑手{number}",
                    filed_by_id=rng.choice(worker_ids),
                    channel="online",
                    category=category,
                    jurisdiction=place,
                    team=stations[place.pk],
                    assignee_id=rng.choice(staff).pk if rng.random() < 0.6 else None,
                    period_start=start,
                    period_end=min(
                        start + timedelta(days=rng.randint(1, 60)), timezone.localdate()
                    ),
                    amount_claimed=Decimal(rng.randint(100, 2_000_000)) / 100,
                    description="配送费未按时结算，多次联系站点无果。",
                    consent_to_share=rng.random() < 0.8,
                )
            )
            cases[-1].intended = created
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=BATCH)
            parties, events = [], []
            for case in cases:
                parties.append(
                    CaseParty(case=case, position=1, kind="platform", company=rng.choice(platforms))
                )
                if rng.random() < 0.5:
                    parties.append(
                        CaseParty(
                            case=case, position=2, kind="operator", company=rng.choice(operators)
                        )
                    )
                events.append(
                    CaseEvent(
                        case=case,
                        kind=EventKind.FILED,
                        is_public=True,
                        to_state="submitted",
                    )
                )
                events[-1].intended = case.intended
                for step in range(rng.randint(0, 5)):
                    events.append(
                        CaseEvent(
                            case=case,
                            kind=EventKind.TRANSITION,
                            transition="accept",
                            to_state=case.state,
                            is_public=True,
                        )
                    )
                    events[-1].intended = case.intended + timedelta(hours=step + 1)
            CaseParty.objects.bulk_create(parties, batch_size=BATCH)
            CaseEvent.objects.bulk_create(events, batch_size=BATCH)
            # auto_now_add overwrote the timestamps: put the spread back.
            _set_times("casework_case", [(c.pk, c.intended) for c in cases], both=True)
            _set_times("casework_caseevent", [(e.pk, e.intended) for e in events])
        added += size
        print(f"  seeded {have + added:,} / {n:,} cases", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return added
