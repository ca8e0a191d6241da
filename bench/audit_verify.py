"""`python -m bench.audit_verify --entries N`: time `verify_audit` over N chain entries.

Seeds the demo district into its own PostgreSQL database (`<bench database>_audit_<N>`, e.g.
`anxin_bench_audit_1000000`, beside BENCH_DATABASE_URL's), then N timeline events through the
chain's one door, in batches of 5,000 (about two minutes a million), dated over two days:
90 % the day before yesterday (sealed by a digest), 10 % yesterday (a nightly run's share,
sealed too). It then times a nightly run
(`verify_audit --since <yesterday>`: the last day's entries, the unchained-row scan after the
anchor, every tracked row against its last history record) and a full run. Prints and writes
bench/results/audit-verify-N.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
BATCH = 5000


def _database(entries: int) -> str:
    base, bench_name = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/anxin_bench"
    ).rsplit("/", 1)
    name = f"{bench_name}_audit_{entries}"  # anxin_bench_audit_1000000 by default
    subprocess.run(  # noqa: S603
        ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name],  # noqa: S607
        check=True,
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)  # noqa: S603, S607
    return f"{base}/{name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = _database(args.entries)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ANXIN_SIGNING_LOCAL_CA", "1")
    os.environ["DJANGO_DEBUG"] = "1"
    import django

    django.setup()
    import time_machine
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from casework.audit.chain import append
    from casework.audit.digests import digest_record
    from casework.audit.models import ChainEntry
    from casework.audit.verify import verify_chain
    from casework.cases.models import Case
    from casework.management.commands.seed_demo import seed_demo
    from casework.timeline.choices import EventKind
    from casework.timeline.models import CaseEvent

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    older, yesterday = today - timedelta(days=2), today - timedelta(days=1)
    zone = timezone.get_default_timezone()
    from datetime import datetime

    with time_machine.travel(datetime.combine(older, datetime.min.time(), zone), tick=True):
        seed_demo()
    case_ids = list(Case.objects.values_list("pk", flat=True))
    seeding = time.monotonic()
    todo = args.entries - ChainEntry.objects.count()
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
    seed_seconds = time.monotonic() - seeding
    with time_machine.travel(datetime.combine(today, datetime.min.time(), zone)):
        digest_record(day=older)
        digest_record(day=yesterday)
    total = ChainEntry.objects.count()

    def timed(**kwargs):
        started = time.monotonic()
        report = verify_chain(**kwargs)
        return time.monotonic() - started, report

    nightly_seconds, nightly = timed(since=yesterday)
    full_seconds, full = timed()
    write_cost = _write_cost(case_ids[0])  # last: its unchained rows would fail the checks
    result = {
        "entries": total,
        "seed_seconds": round(seed_seconds, 1),
        "append_per_entry_ms": round(seed_seconds / max(todo, 1) * 1000, 3),
        "nightly": {
            "since": str(yesterday),
            "entries_checked": nightly.entries,
            "seconds": round(nightly_seconds, 2),
            "ok": nightly.ok,
        },
        "full": {"entries_checked": full.entries, "seconds": round(full_seconds, 2), "ok": full.ok},
        "write_cost": write_cost,
        "full_per_million_seconds": round(full_seconds / max(full.entries, 1) * 1e6, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"audit-verify-{args.entries}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if nightly.ok and full.ok else 1


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
