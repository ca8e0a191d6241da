"""Issue 20's figures: the duplicate search a worker's intake runs (target: under 20 ms at
1,000,000 cases) and importing 10,000 upstream work orders from a file (target: under 60 s,
preview and confirmation together).

`measure(runs)` returns rows in the shape of measures.run_all's `record()`. On its own, on a
database of its own: `python -m bench.channels_measures --cases 100000 --orders 10000`
(DATABASE_URL: PostgreSQL). The import adds cases: name a bench database per size.
"""

import argparse
import csv
import io
import json
import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ISSUE = 20
HEADER = ["工单编号", "受理时间", "姓名", "联系电话", "被反映单位", "所属街道", "欠薪开始",
          "欠薪结束", "金额", "诉求内容"]  # fmt: skip


def _load() -> float:
    """The 1-minute load average: wall times on a shared machine mean little without it."""
    return round(os.getloadavg()[0], 1)


def _backend_cpu() -> float | None:
    """CPU seconds the database backend serving this connection has used (user + system),
    read from /proc when the server runs on this machine; None otherwise."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _explain_ms(sql: str, params) -> tuple[float, float]:
    """(planning, execution) milliseconds of one query, from EXPLAIN (ANALYZE, BUFFERS)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, SUMMARY, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    return round(plan["Planning Time"], 3), round(plan["Execution Time"], 3)


def _row(name, samples, queries, target, meets, median_key="median_ms"):
    from bench.__main__ import summarise

    summary = summarise(samples)
    return {
        "operation": name,
        **summary,
        "queries": queries,
        "target": target,
        "issue": ISSUE,
        "meets_target": meets(summary),
    }


def measure_duplicate_search(runs: int) -> dict:
    """find_duplicates for seeded workers' own phones, employers and periods: what the review
    step of the worker's intake asks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.cases.lifecycle import OPEN_STATES
    from casework.cases.models import Case
    from casework.duplicates.finder import find_duplicates

    probes = list(
        Case.objects.filter(state__in=OPEN_STATES, worker__mobile__isnull=False)
        .order_by("?")
        .values_list("worker__mobile", "employer_id", "period_start", "period_end",
                     "amount_claimed")[: max(runs, 50)]
    )  # fmt: skip

    def search(probe):
        mobile, employer, start, end, amount = probe
        return find_duplicates(
            phone=mobile,
            company_ids=[employer] if employer else [],
            period_start=start,
            period_end=end,
            amount=amount,
        )

    for probe in probes[:5]:
        search(probe)
    with CaptureQueriesContext(connection) as captured:
        search(probes[0])
    # the one query as sent (literals bound on the client), timed by the server
    planning, execution = _explain_ms(captured.captured_queries[0]["sql"], None)
    samples, cpu = [], []
    found = 0
    for index in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        found += bool(search(probes[index % len(probes)]))
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    cases = Case.objects.count()
    row = _row(
        f"Duplicate search at intake, {cases:,} cases ({found}/{runs} found the worker's own case)",
        samples,
        len(captured),
        "median < 20 ms",
        lambda s: s["median_ms"] < 20,
    )
    row.update(
        cpu_median_ms=round(sorted(cpu)[len(cpu) // 2] * 1000, 2),
        db_planning_ms=planning,
        db_execution_ms=execution,
        load=_load(),
    )
    print(f"  {row['operation']}: {row['median_ms']} ms median, p95 {row['p95_ms']} ms, "
          f"{row['queries']} query; CPU {row['cpu_median_ms']} ms; database: planning "
          f"{planning} ms, execution {execution} ms; load {row['load']}", flush=True)  # fmt: skip
    return row


def work_order_file(orders: int, *, tag: str) -> bytes:
    """`orders` lines of a 12345 export: new callers, streets of the demo district, a line in
    twenty a repeat of an earlier number (the preview counts it as a duplicate)."""
    from casework.organisation.models import Unit

    streets = list(Unit.objects.filter(kind__in=["street", "park"]).values_list("name", flat=True))
    rng = random.Random(tag)  # new callers on every run: an earlier run's are open cases now
    from django.utils import timezone

    today = timezone.localdate()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    for number in range(orders):
        reference = f"{tag}-{number:06d}"
        if number and number % 20 == 0:
            reference = f"{tag}-{number - 1:06d}"
        start = today - timedelta(days=rng.randint(40, 200))
        writer.writerow([
            reference, (today - timedelta(days=rng.randint(1, 5))).isoformat(), "测试工人",
            f"17{rng.randint(0, 999_999_999):09d}", "速达外卖", rng.choice(streets),
            start.isoformat(), (start + timedelta(days=30)).isoformat(),
            str(Decimal(rng.randint(50_000, 900_000)) / 100),
            "来电人反映工资被拖欠，要求协调处理。",
        ])  # fmt: skip
    return text.getvalue().encode()


def measure_import(orders: int) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.cases.choices import Channel
    from casework.channels.imports import import_confirm, import_preview
    from casework.organisation.models import User

    supervisor = User.objects.get(username="district.supervisor")
    raw = work_order_file(orders, tag=f"B{int(time.time())}")
    load = _load()
    db_started = _backend_cpu()
    cpu_started, started = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as previewing:
        preview = import_preview(
            actor=supervisor, channel=Channel.HOTLINE_12345, name="bench.csv", raw=raw
        )
    previewed, preview_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    with CaptureQueriesContext(connection) as confirming:
        done = import_confirm(actor=supervisor, import_id=preview.batch.pk)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    db_cpu = None if db_started is None else round(_backend_cpu() - db_started, 1)
    queries = len(previewing) + len(confirming)
    figures = {
        "cpu_s": round(cpu, 1),
        "preview_cpu_s": round(preview_cpu, 1),
        "db_cpu_s": db_cpu,
        "queries_per_line": round(queries / orders, 3),
        "load": max(load, _load()),
    }
    rows = [
        _row(
            f"Import {orders:,} work orders: preview ({len(preview.to_create):,} to create, "
            f"{len(preview.duplicates):,} duplicates)",
            [previewed],
            len(previewing),
            "reported",
            lambda s: True,
        ),
        _row(
            f"Import {orders:,} work orders: preview and confirm ({done.created_count:,} cases)",
            [total],
            queries,
            "total < 60 s",
            lambda s: s["median_ms"] < 60_000,
        ),
    ]
    rows[1].update(figures)
    print(f"  {rows[0]['operation']}: {previewed:.1f} s, CPU {preview_cpu:.1f} s, "
          f"{len(previewing)} queries", flush=True)  # fmt: skip
    print(f"  {rows[1]['operation']}: {total:.1f} s, CPU {cpu:.1f} s (this process), database "
          f"CPU {db_cpu} s, {queries} queries ({figures['queries_per_line']} a line), "
          f"load {figures['load']}", flush=True)  # fmt: skip
    return rows


def measure(runs: int, orders: int = 10_000) -> list[dict]:
    return [measure_duplicate_search(max(runs, 200)), *measure_import(orders)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--search-only", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("needs PostgreSQL: set DATABASE_URL")
        return 2
    from bench.__main__ import configure

    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.seed import seed_cases

    seed_cases(args.cases)
    rows = [measure_duplicate_search(args.runs)]
    if not args.search_only:
        rows += measure_import(args.orders)
    return 0 if all(row["meets_target"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
