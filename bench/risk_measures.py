"""Issue 18: recomputing every company's risk level (the sweep's risk pass) for 10,000
companies, on the bench database's cases, spread over those companies.

    DATABASE_URL=postgres://... python -m bench.risk_measures --cases 100000

Seeds (once, idempotently) the companies the bench lacks, moves the seeded cases' employers
onto all of them (bench data only), screens a fifth of them with findings, then times
`risk_recompute`: the first run (every row written, levels moving) and steady runs after it.
`measure(runs)` returns rows in the shape of measures.run_all's `record()`.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta

ISSUE = 18
TARGET_SECONDS = 10
COMPANIES = 10_000


def _seed_companies(total: int) -> None:
    from platforms.choices import CompanyKind, Industry
    from platforms.models import Company

    have = Company.objects.count()
    if have < total:
        Company.objects.bulk_create(
            Company(
                name=f"基准配送服务有限公司{n:05d}",
                kind=CompanyKind.OPERATOR,
                industry=Industry.FOOD_DELIVERY,
            )
            for n in range(have, total)
        )


def _spread_cases() -> None:
    """Each case's employer becomes one of all the companies (by case id), once."""
    from django.db import connection

    from casework.cases.models import Case

    employers = Case.objects.values("employer_id").distinct().count()
    if employers >= 1000:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH numbered AS (
                SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM platforms_company
            )
            UPDATE casework_case SET employer_id = numbered.id
            FROM numbered
            WHERE numbered.i = casework_case.id % (SELECT count(*) FROM platforms_company)
            """
        )
        cursor.execute("VACUUM (ANALYZE) casework_case")


def _seed_screenings() -> None:
    """A fifth of the companies screened 40 days ago, half of those with two open findings."""
    from django.utils import timezone

    from casework.core.system import system_user
    from casework.governance.choices import CheckItem, ScreeningManner, ScreeningStatus
    from casework.governance.models import Screening, ScreeningFinding
    from casework.organisation.choices import UnitKind
    from casework.organisation.models import Unit
    from platforms.models import Company

    if Screening.objects.exists():
        return
    unit = Unit.objects.filter(kind=UnitKind.STREET).order_by("pk").first()
    actor = system_user()
    day = timezone.localdate() - timedelta(days=40)
    screenings = Screening.objects.bulk_create(
        Screening(
            company_id=company_id,
            unit=unit,
            screened_on=day,
            manner=ScreeningManner.ON_SITE,
            status=ScreeningStatus.CORRECTING if n % 2 else ScreeningStatus.CLEAR,
            correction_days=10 if n % 2 else None,
            correction_due=day + timedelta(days=14) if n % 2 else None,
            recorded_by=actor,
        )
        for n, company_id in enumerate(Company.objects.order_by("pk").values_list("pk", flat=True))
        if n % 5 == 0
    )
    failing = {CheckItem.CONTRACTS, CheckItem.INJURY_PROTECTION}
    ScreeningFinding.objects.bulk_create(
        ScreeningFinding(
            screening=screening,
            item=item,
            complies=not (screening.status == ScreeningStatus.CORRECTING and item in failing),
        )
        for screening in screenings
        for item in CheckItem.values
    )


def prepare(companies: int = COMPANIES, *, spread: bool = True) -> None:
    _seed_companies(companies)
    if spread:
        _spread_cases()
    _seed_screenings()


def measure(runs: int = 5, *, companies: int = COMPANIES, spread: bool = False) -> list[dict]:
    """`spread`: move the cases' employers onto all the companies first (the standalone run
    does; `make bench` does not, so that the pages it measures keep their data)."""
    from django.db.models import Count

    from platforms.risk.models import CompanyRisk
    from platforms.risk.services import risk_recompute

    prepare(companies, spread=spread)
    first_run = CompanyRisk.objects.count() == 0
    samples, reports = [], []
    for _ in range(max(runs, 2)):
        started = time.perf_counter()
        reports.append(risk_recompute())
        samples.append(time.perf_counter() - started)
    first, steady = samples[0], samples[1:]
    levels = dict(
        CompanyRisk.objects.values("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    rows = []
    label = "first run, every row written" if first_run else "first run of this bench"
    for name, seconds in (
        (f"risk recomputation, {reports[0].companies:,} companies ({label})", first),
        (
            f"risk recomputation, {reports[0].companies:,} companies (steady, median of "
            f"{len(steady)})",
            statistics.median(steady),
        ),
    ):
        row = {
            "operation": name,
            "median_ms": round(seconds * 1000, 1),
            "p95_ms": round(seconds * 1000, 1),
            "queries": None,
            "target": f"under {TARGET_SECONDS} s",
            "issue": ISSUE,
            "meets_target": seconds < TARGET_SECONDS,
        }
        rows.append(row)
        print(f"  {name}: {seconds:.2f} s", flush=True)
    print(f"  levels: {levels}; first run changed {reports[0].changed}", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=COMPANIES)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from bench.__main__ import configure

    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.seed import seed_cases

    seed_cases(args.cases)
    rows = measure(args.runs, companies=args.companies, spread=True)
    return 0 if all(row["meets_target"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
