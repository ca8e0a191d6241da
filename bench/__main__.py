"""`make bench`: seed N cases on PostgreSQL, then time the pages the issues set targets for.

Each measurement runs in-process through Django's test client (the full middleware stack,
templates and queries, no network), after a warm-up, and reports median, p95 and the SQL
query count. Results go to bench/results/ as JSON and Markdown.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--no-helpdesk", action="store_true", help="skip django-helpdesk")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP throughput run")
    parser.add_argument(
        "--audit-rows",
        type=int,
        default=1_000_000,
        help="history rows for the audit browser (its own database; 0 skips it)",
    )
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print(
            "make bench needs PostgreSQL: set DATABASE_URL (the Makefile defaults to anxin_bench)."
        )
        return 2
    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench import measures
    from bench.seed import seed_cases

    started = time.perf_counter()
    added = seed_cases(args.cases)
    seed_seconds = time.perf_counter() - started
    print(f"{args.cases:,} cases ready ({added:,} added in {seed_seconds:.1f} s)")

    results = measures.run_all(runs=args.runs)
    from bench import chain_overhead

    results.extend(chain_overhead.measure(args.runs))
    from bench import dashboard_measures, pdf

    results.extend(dashboard_measures.measure(args.runs))
    results.extend(pdf.measure(runs=10))
    from bench.webhooks_fanout import row_for_make_bench

    results.append(row_for_make_bench(1000))

    from bench import api_measures

    results.extend(api_measures.measure(args.runs))
    from bench import channels_measures

    results.extend(channels_measures.measure(args.runs))
    from bench import upstream_sweep_measures

    # After the import above: its work orders are the replies the sweep finds overdue.
    results.extend(upstream_sweep_measures.measure())
    from bench import verdict_measures

    results.extend(verdict_measures.measure(args.runs))
    from bench import ledger_measures

    # Last of the timed pages: it tops the ledger up (agreements, instalments, payments).
    results.extend(ledger_measures.measure(args.runs, cases=args.cases))
    if args.audit_rows:
        from bench.audit_browser_measures import rows_for_make_bench

        results.extend(rows_for_make_bench(args.audit_rows))
    throughput = None
    if not args.no_http:
        from bench.http_throughput import measure_queue_throughput

        throughput = measure_queue_throughput(clients=16, seconds=20, workers=2)
        print(f"  HTTP throughput: {throughput}", flush=True)
        results.append(
            {
                "operation": f"{throughput['name']}: {throughput['requests_per_second']} "
                f"requests/s, {throughput['errors']} errors",
                "median_ms": throughput["p50_ms"],
                "p95_ms": throughput["p95_ms"],
                "queries": None,
                "target": "no errors; throughput reported",
                "issue": 7,
                "meets_target": throughput["errors"] == 0,
            }
        )
    # Last: it adds companies (to 10,000) and screenings to the bench database.
    from bench import risk_measures

    results.extend(risk_measures.measure(runs=3))
    report = {
        "date": datetime.now(UTC).date().isoformat(),
        "cases": args.cases,
        "runs": args.runs,
        "database": "postgresql",
        "results": results,
        "http_throughput": throughput,
    }
    ratios_md = ""
    if not args.no_helpdesk:
        from bench import helpdesk_compare

        try:
            helpdesk = helpdesk_compare.run_helpdesk(args.cases, args.runs)
        except helpdesk_compare.HelpdeskBenchError as error:
            print(f"django-helpdesk benchmark: {error}", file=sys.stderr)
            helpdesk = None
        if helpdesk is not None:
            rows = helpdesk_compare.ratio_rows(results, helpdesk)
            report["helpdesk"] = helpdesk
            report["helpdesk_ratios"] = rows
            ratios_md = "\n" + helpdesk_compare.markdown_ratios(rows, helpdesk)
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"bench-{args.cases}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    table = measures.markdown(report) + ratios_md
    stem.with_suffix(".md").write_text(table)
    print(table)
    ratios_met = all(r["meets_target"] is not False for r in report.get("helpdesk_ratios", []))
    return 0 if all(r["meets_target"] for r in results) and ratios_met else 1


def configure() -> None:
    """Django as the benchmarks run it (DEBUG off, collected static files); also used by the
    command lines of single benchmarks, such as `python -m bench.http_throughput`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault(
        "DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    )
    os.environ.setdefault("ANXIN_SECURE_COOKIES", "0")
    # documents are signed with a local test CA under var/signing/ (settings.py)
    os.environ.setdefault("ANXIN_SIGNING_LOCAL_CA", "1")
    os.environ.setdefault(
        "ANXIN_SMS_BACKEND", "casework.organisation.sms.backends.database.SmsBackend"
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    # As deployed: hashed, compressed static files from collectstatic.
    call_command("collectstatic", interactive=False, verbosity=0)


def summarise(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1] * 1000, 2),
    }


if __name__ == "__main__":
    sys.exit(main())
