"""Issue 20: the deadline sweep's watch on upstream replies. Times one pass that finds every
owed work order overdue and tells each case's team (one UPDATE, one history INSERT and one
notification INSERT per batch of 500), then the pass after it (nothing left to tell).

`measure(runs)` returns rows in the shape of measures.run_all's `record()`; it runs after
channels_measures, whose import leaves thousands of owed work orders. On its own:
`python -m bench.upstream_sweep_measures --cases 2000 --orders 2000` (DATABASE_URL:
PostgreSQL; it imports work orders first: name a bench database per size).
"""

import argparse
import os
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock_time

ISSUE = 20


def measure(runs: int = 1) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.channels_measures import _row
    from casework.channels.models import ReplyStatus, UpstreamOrder
    from casework.channels.reply_sweep import upstream_reply_sweep

    owed = UpstreamOrder.objects.exclude(reply_status=ReplyStatus.SENT)
    latest = owed.order_by("-due_on").values_list("due_on", flat=True).first()
    if latest is None:
        print("  no upstream work orders owed: nothing to sweep", flush=True)
        return []
    # The morning after the last deadline: every owed reply not yet told is overdue.
    moment = timezone.make_aware(datetime.combine(latest + timedelta(days=1), clock_time(9)))
    waiting = owed.filter(overdue_notified_at__isnull=True).count()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as first_pass:
        report = upstream_reply_sweep(now=moment)
    first = time.perf_counter() - started
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as second_pass:
        again = upstream_reply_sweep(now=moment)
    second = time.perf_counter() - started
    rows = [
        _row(
            f"Upstream reply sweep: {report.overdue:,} of {waiting:,} owed work orders told "
            "overdue",
            [first],
            len(first_pass),
            "reported",
            lambda s: True,
        ),
        _row(
            f"Upstream reply sweep again: {again.overdue + again.due_soon} told (idempotent)",
            [second],
            len(second_pass),
            "nothing told again",
            lambda s, told=again.overdue + again.due_soon: told == 0,
        ),
    ]
    for row in rows:
        print(f"  {row['operation']}: {row['median_ms']} ms, {row['queries']} queries", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--orders", type=int, default=2_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("needs PostgreSQL: set DATABASE_URL")
        return 2
    from bench.__main__ import configure

    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.channels_measures import measure_import
    from bench.seed import seed_cases

    seed_cases(args.cases)
    measure_import(args.orders)
    rows = measure()
    return 0 if all(row["meets_target"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
