"""Issue 7's read-side pages, timed like bench/measures.py times the others: the supervisor
dashboard and the employer totals, through the test client (middleware, templates, queries);
and issue 18's statistics page (figures and the six charts with their tables) over a year,
for the district and for a street supervisor.

`measure(runs)` returns rows in the shape of measures.run_all's `record()`. On its own, on a
database of its own per size (the seed only grows):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_dashboard_bench100k \
        python -m bench.dashboard_measures --cases 100000 --runs 30
"""

from django.urls import reverse

ISSUE = 7


def measure(runs: int, *, periods: tuple[str, ...] = ("month",)) -> list[dict]:
    from arrears.models import EmployerTotal
    from bench.__main__ import summarise
    from bench.measures import _client, _ok, _timed

    results = []

    def record(name, samples, queries, target_ms, max_queries, steadier=None):
        summary = summarise(samples)
        results.append(
            {
                "operation": name,
                **summary,
                **(steadier or {}),
                "queries": queries,
                "target": f"median < {target_ms} ms, ≤ {max_queries} queries",
                "issue": ISSUE,
                "meets_target": summary["median_ms"] <= target_ms and queries <= max_queries,
            }
        )
        print(f"  {name}: {summary} queries={queries}", flush=True)

    dashboard = reverse("casework:dashboard")
    for username, who in (("district.supervisor", "district"), ("xixing.supervisor", "street")):
        client = _client(username)
        for period in periods:
            url = f"{dashboard}?period={period}"
            samples, queries = _timed(lambda url=url, c=client: _ok(c.get(url)), runs)
            record(f"supervisor dashboard ({who} supervisor, {period})", samples, queries, 150, 15)

    # Issue 18: the statistics page with its charts over a year (the year up to the last
    # seeded day: the seed spreads cases over two years up to today).
    measures = reverse("casework:dashboard_measures")
    for username, who in (("district.supervisor", "district"), ("xixing.supervisor", "street")):
        client = _client(username)
        url = f"{measures}?preset=year"
        samples, queries = _timed(lambda url=url, c=client: _ok(c.get(url)), runs)
        steadier = _steadier(lambda url=url, c=client: _ok(c.get(url)), runs)
        record(
            f"statistics and charts ({who} supervisor, this year)",
            samples, queries, 150, 40, steadier,
        )  # fmt: skip
        url = f"{measures}?date_from={_year_ago():%Y-%m-%d}&date_to={_today():%Y-%m-%d}"
        samples, queries = _timed(lambda url=url, c=client: _ok(c.get(url)), runs)
        steadier = _steadier(lambda url=url, c=client: _ok(c.get(url)), runs)
        record(
            f"statistics and charts ({who} supervisor, last 365 days)",
            samples, queries, 150, 40, steadier,
        )  # fmt: skip

    district = _client("district.supervisor")
    totals = reverse("arrears:employers")
    samples, queries = _timed(lambda: _ok(district.get(totals)), runs)
    record(
        "employer totals (top 25 by outstanding, district supervisor)", samples, queries, 150, 10
    )

    largest = EmployerTotal.objects.order_by("-cases").values_list("company_id", flat=True).first()
    if largest is not None:
        page = reverse("arrears:employer_detail", args=[largest])
        samples, queries = _timed(lambda: _ok(district.get(page)), runs)
        record(
            "employer page (largest employer, 25 cases by balance, district supervisor)",
            samples,
            queries,
            150,
            10,
        )
    return results


def _steadier(call, runs: int) -> dict:
    """Figures the machine's load moves less than wall time: the median process CPU time and
    database time (wall time inside the queries) per request, and the load average. Every
    request computes its figures (no cache in the way): the rollups are read, not a result."""
    import os
    import statistics
    import time

    from django.db import connection

    cpu, database = [], []
    spent = [0.0]

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    with connection.execute_wrapper(timed_query):
        for _ in range(max(1, runs // 2)):
            spent[0] = 0.0
            started = time.process_time()
            call()
            cpu.append(time.process_time() - started)
            database.append(spent[0])
    return {
        "cpu_ms": round(statistics.median(cpu) * 1000, 1),
        "db_ms": round(statistics.median(database) * 1000, 1),
        "load": round(os.getloadavg()[0], 2),
    }


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _year_ago():
    from datetime import timedelta

    return _today() - timedelta(days=364)


def main() -> int:
    import argparse
    import json
    import os
    import time

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench.dashboard_measures needs PostgreSQL: set DATABASE_URL.")
        return 2
    from bench.__main__ import RESULTS, configure

    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.seed import seed_cases

    started = time.perf_counter()
    added = seed_cases(args.cases)
    print(f"{args.cases:,} cases ready ({added:,} added in {time.perf_counter() - started:.1f} s)")
    results = measure(args.runs)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"dashboard-{args.cases}.json"
    out.write_text(json.dumps({"cases": args.cases, "results": results}, indent=2))
    print(f"written to {out}")
    return 0 if all(row["meets_target"] for row in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
