"""`make bench`: seed N cases on PostgreSQL, then time the pages the issues set targets for.

Each measurement runs in-process through Django's test client (the full middleware stack,
templates and queries, no network), after a warm-up, and reports median, p95 and the SQL
query count. Results go to bench/results/ as JSON and Markdown, with the machine's load average
before and after each step (timings on a busy machine are not comparable with a quiet one).

    make bench                       # every step at 100,000 cases
    make bench N=1000000 ONLY=pages  # the page timings only, at 1,000,000 cases
    python -m bench --only pages,http,live --cases 100000
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _steps(args) -> dict[str, Callable[[], list[dict]]]:
    """The steps in the order they run (some add data the next ones read: see the comments)."""

    def pages():
        from bench import measures

        return measures.run_all(runs=args.runs)

    def live():
        from bench import measures

        return measures.live_rows(clients=args.live_clients)

    def chain():
        from bench import chain_overhead

        return chain_overhead.measure(args.runs)

    def dashboard():
        from bench import dashboard_measures

        return dashboard_measures.measure(args.runs)

    def pdf():
        from bench import pdf as pdf_measures

        return pdf_measures.measure(runs=10)

    def webhooks():
        from bench.webhooks_fanout import row_for_make_bench

        return [row_for_make_bench(1000)]

    def api():
        from bench import api_measures

        return api_measures.measure(args.runs)

    def channels():
        from bench import channels_measures, upstream_sweep_measures

        # After the import: its work orders are the replies the sweep finds overdue.
        return channels_measures.measure(args.runs) + upstream_sweep_measures.measure()

    def verdict():
        from bench import verdict_measures

        return verdict_measures.measure(args.runs)

    def ledger():
        from bench import ledger_measures

        # Last of the timed pages: it tops the ledger up (agreements, instalments, payments).
        return ledger_measures.measure(args.runs, cases=args.cases)

    def audit():
        from bench.audit_browser_measures import rows_for_make_bench

        return rows_for_make_bench(args.audit_rows) if args.audit_rows else []

    def http():
        from bench import http_throughput

        throughput = http_throughput.measure_queue_throughput(clients=16, seconds=20, workers=2)
        print(f"  HTTP throughput: {throughput}", flush=True)
        return [http_throughput.row_for_make_bench(throughput)]

    def weight():
        from bench import page_weight

        return page_weight.measure()

    def replica():
        from bench import replica as replica_measures

        return replica_measures.measure(args.runs)

    def topology():
        from bench import topology as topology_measures

        return topology_measures.measure()

    def risk():
        from bench import risk_measures

        # Last: it adds companies (to 10,000) and screenings to the bench database.
        return risk_measures.measure(runs=3)

    return {
        "pages": pages,
        "live": live,
        "chain": chain,
        "dashboard": dashboard,
        "pdf": pdf,
        "webhooks": webhooks,
        "api": api,
        "channels": channels,
        "verdict": verdict,
        "ledger": ledger,
        "audit": audit,
        "http": http,
        "weight": weight,
        "replica": replica,
        "topology": topology,
        "risk": risk,
    }


STEP_NAMES = [
    "pages",
    "live",
    "chain",
    "dashboard",
    "pdf",
    "webhooks",
    "api",
    "channels",
    "verdict",
    "ledger",
    "audit",
    "http",
    "weight",
    "replica",
    "topology",
    "risk",
]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument(
        "--only",
        default="",
        help=f"comma-separated steps to run (default: all): {', '.join(STEP_NAMES)}; "
        "helpdesk runs with pages",
    )
    parser.add_argument("--no-helpdesk", action="store_true", help="skip django-helpdesk")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP throughput run")
    parser.add_argument("--live-clients", type=int, default=1000)
    parser.add_argument(
        "--audit-rows",
        type=int,
        default=1_000_000,
        help="history rows for the audit browser (its own database; 0 skips it)",
    )
    args = parser.parse_args()
    only = [name for name in args.only.split(",") if name] or list(STEP_NAMES)
    unknown = sorted(set(only) - set(STEP_NAMES))
    if unknown:
        parser.error(f"unknown steps: {', '.join(unknown)} (known: {', '.join(STEP_NAMES)})")
    if args.no_http:
        only = [name for name in only if name != "http"]

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

    steps = _steps(args)
    results: list[dict] = []
    loads: dict[str, dict] = {}
    for name in STEP_NAMES:
        if name not in only:
            continue
        before = os.getloadavg()
        rows = steps[name]()
        loads[name] = {"before": _rounded(before), "after": _rounded(os.getloadavg())}
        print(f"  [{name}] load average {loads[name]['before']} → {loads[name]['after']}")
        for row in rows:
            row.setdefault("step", name)
        results.extend(rows)
    report = {
        "date": datetime.now(UTC).date().isoformat(),
        "cases": args.cases,
        "runs": args.runs,
        "database": "postgresql",
        "steps": only,
        "cpus": os.cpu_count(),
        "load_average": loads,
        "results": results,
    }
    ratios_md = ""
    if "pages" in only and not args.no_helpdesk:
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
    suffix = "" if set(only) == set(STEP_NAMES) else "-" + "-".join(only)
    stem = RESULTS / f"bench-{args.cases}{suffix}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    table = measures.markdown(report) + ratios_md
    stem.with_suffix(".md").write_text(table)
    print(table)
    ratios_met = all(r["meets_target"] is not False for r in report.get("helpdesk_ratios", []))
    return 0 if all(r["meets_target"] for r in results) and ratios_met else 1


def _rounded(load: tuple[float, float, float]) -> list[float]:
    return [round(value, 2) for value in load]


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
