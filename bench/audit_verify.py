"""`python -m bench.audit_verify --entries N`: time `verify_audit` over N chain entries.

Seeds the demo district into its own PostgreSQL database (`--database NAME`, or
`<bench database>_audit_<N>`, e.g. `anxin_bench_audit_1000000`, beside BENCH_DATABASE_URL's),
then N timeline events through the chain's one door, in batches of 5,000 (about five minutes a
million), dated over two days: 90 % the day before yesterday (sealed by a digest), 10 %
yesterday (a nightly run's share, sealed too). It then times a nightly run
(`verify_audit --since <yesterday>`: the last day's entries, the unchained-row scan after the
anchor, every tracked row against its last history record) and a full run: median wall and CPU
seconds of `--runs` runs, queries, load average. `--reuse` times the runs again on a database
seeded before (same day), keeping the seeding and write-cost figures of the last file.
Prints and writes bench/results/audit-verify-N.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
BATCH = 5000


def _database(entries: int, name: str | None, reuse: bool) -> str:
    base, bench_name = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/anxin_bench"
    ).rsplit("/", 1)
    name = name or f"{bench_name}_audit_{entries}"  # anxin_bench_audit_1000000 by default
    if reuse:
        return f"{base}/{name}"
    subprocess.run(  # noqa: S603
        ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name],  # noqa: S607
        check=True,
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)  # noqa: S603, S607
    return f"{base}/{name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--database", help="the bench database's name (dropped and re-created)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the runs on a database seeded before (no seeding, no write-cost run, "
        "whose unchained rows would fail the next run)",
    )
    parser.add_argument("--skip-write-cost", action="store_true", help="keep the database reusable")
    parser.add_argument("--runs", type=int, default=1, help="runs of each check (median)")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = _database(args.entries, args.database, args.reuse)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ANXIN_SIGNING_LOCAL_CA", "1")
    os.environ["DJANGO_DEBUG"] = "1"
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from casework.audit.models import ChainEntry, DailyDigest
    from casework.audit.verify import verify_chain
    from casework.cases.models import Case

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    older, yesterday = today - timedelta(days=2), today - timedelta(days=1)
    zone = timezone.get_default_timezone()

    previous = _previous(args.entries)
    if args.reuse:  # seeded by an earlier run: its two sealed days
        older, yesterday = DailyDigest.objects.order_by("day").values_list("day", flat=True)[:2]
        seeding_figures = {k: previous.get(k) for k in ("seed_seconds", "append_per_entry_ms")}
    else:
        started = time.monotonic()
        _seed(args.entries, older, yesterday, zone)
        seed_seconds = time.monotonic() - started
        seeding_figures = {
            "seed_seconds": round(seed_seconds, 1),
            "append_per_entry_ms": round(seed_seconds / args.entries * 1000, 3),
        }
    total = ChainEntry.objects.count()
    nightly = _timed(verify_chain, args.runs, since=yesterday)
    full = _timed(verify_chain, args.runs)
    if args.reuse or args.skip_write_cost:
        write_cost = previous.get("write_cost")
    else:  # last: its unchained rows would fail the checks
        write_cost = _write_cost(Case.objects.values_list("pk", flat=True).first())
    result = {
        "entries": total,
        **seeding_figures,
        "nightly": {"since": str(yesterday), **nightly},
        "full": full,
        "write_cost": write_cost,
        # figures of an earlier version, kept by hand for comparison (carried over)
        "baseline": previous.get("baseline"),
        "full_per_million_seconds": round(
            full["seconds"] / max(full["entries_checked"], 1) * 1e6, 1
        ),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"audit-verify-{args.entries}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if nightly["ok"] and full["ok"] else 1


def _previous(entries: int) -> dict:
    path = RESULTS / f"audit-verify-{entries}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _seed(entries: int, older, yesterday, zone) -> None:
    """The demo district, then timeline events through the chain's one door up to `entries`
    links; both days sealed by their digests."""
    import time_machine
    from django.db import transaction

    from casework.audit.chain import append
    from casework.audit.digests import digest_record
    from casework.audit.models import ChainEntry
    from casework.cases.models import Case
    from casework.management.commands.seed_demo import seed_demo
    from casework.timeline.choices import EventKind
    from casework.timeline.models import CaseEvent

    with time_machine.travel(datetime.combine(older, datetime.min.time(), zone), tick=True):
        seed_demo()
    case_ids = list(Case.objects.values_list("pk", flat=True))
    todo = entries - ChainEntry.objects.count()
    day_two = todo // 10
    made = 0
    while made < todo:
        boundary = todo - day_two
        day = older if made < boundary else yesterday
        count = min(BATCH, (boundary if made < boundary else todo) - made)
        moment = datetime.combine(day, datetime.min.time(), zone) + timedelta(hours=10)
        with time_machine.travel(moment), transaction.atomic():
            events = CaseEvent.objects.bulk_create(
                CaseEvent(
                    case_id=case_ids[(made + i) % len(case_ids)],
                    kind=EventKind.NOTE_ADDED,
                    reason=f"第 {made + i} 条记录：与企业电话沟通，约定下周付款。",
                    params={"n": made + i},
                )
                for i in range(count)
            )
            append(events)
        made += count
    today = yesterday + timedelta(days=1)
    with time_machine.travel(datetime.combine(today, datetime.min.time(), zone)):
        digest_record(day=older)
        digest_record(day=yesterday)


def _timed(verify, runs: int, **kwargs) -> dict:
    """Median wall and CPU seconds of `runs` runs, their query count and the load average."""
    import statistics

    from django.db import connection, reset_queries

    walls, cpus = [], []
    for _ in range(runs):
        reset_queries()
        wall, cpu = time.monotonic(), time.process_time()
        report = verify(**kwargs)
        walls.append(time.monotonic() - wall)
        cpus.append(time.process_time() - cpu)
        queries = len(connection.queries)
    return {
        "entries_checked": report.entries,
        "seconds": round(statistics.median(walls), 2),
        "cpu_seconds": round(statistics.median(cpus), 2),
        "queries": queries,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "ok": report.ok,
        "problems": [str(p) for p in report.problems[:3]],
    }


def _write_cost(case_id: int, runs: int = 300) -> dict:
    """What the chain adds to a write: a transaction that saves a case (its history row) and
    records a timeline event, as a transition does, with the chain's receivers connected and
    disconnected (median ms)."""
    import statistics

    from django.db import transaction
    from django.db.models.signals import post_save
    from simple_history.signals import post_create_historical_record

    from casework.audit import chain
    from casework.cases.models import Case
    from casework.timeline.choices import EventKind
    from casework.timeline.models import CaseEvent

    def one() -> float:
        started = time.perf_counter()
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case_id)
            case.description = case.description[:500]
            case.save(update_fields=["description"])
            CaseEvent.objects.create(case_id=case_id, kind=EventKind.NOTE_ADDED, reason="bench")
        return (time.perf_counter() - started) * 1000

    def median() -> float:
        for _ in range(20):
            one()
        return statistics.median(one() for _ in range(runs))

    with_chain = median()
    post_create_historical_record.disconnect(dispatch_uid="audit_chain_history")
    post_save.disconnect(sender="casework.CaseEvent", dispatch_uid="audit_chain_casework.CaseEvent")
    try:
        without = median()
    finally:
        post_create_historical_record.connect(
            chain._history_created, dispatch_uid="audit_chain_history"
        )
        post_save.connect(
            chain._saved, sender="casework.CaseEvent", dispatch_uid="audit_chain_casework.CaseEvent"
        )
    return {
        "with_chain_ms": round(with_chain, 3),
        "without_chain_ms": round(without, 3),
        "added_ms": round(with_chain - without, 3),
    }


if __name__ == "__main__":
    sys.exit(main())
