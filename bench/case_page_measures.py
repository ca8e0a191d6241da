"""The case page (20 timeline events) with its CPU time beside the wall time: on a shared
machine the wall time moves with the load, the CPU time and the query count much less.

Run alone: `python -m bench.case_page_measures` (after `make bench` has seeded the database).
"""

import os
import statistics
import time

WARMUP = 5


def measure(runs: int) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.measures import _case_with_20_events, _client, _ok

    case = _case_with_20_events()
    client = _client("xixing.coordinator")
    url = reverse("casework:case_detail", args=[case.pk])
    for _ in range(WARMUP):
        _ok(client.get(url))
    with CaptureQueriesContext(connection) as captured:
        _ok(client.get(url))
    queries = len(captured)  # now: the log it slices moves with later queries
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        _ok(client.get(url))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    walls.sort()
    median = round(statistics.median(walls) * 1000, 2)
    cpu_ms = round(statistics.median(cpus) * 1000, 2)
    load = os.getloadavg()[0]
    return [
        {
            "operation": f"case page (20 timeline events), CPU {cpu_ms} ms, load {load:.1f}",
            "median_ms": median,
            "p95_ms": round(walls[int(len(walls) * 0.95) - 1] * 1000, 2),
            "queries": queries,
            "target": "median < 12 ms",
            "issue": 19,
            "meets_target": median < 12,
        }
    ]


if __name__ == "__main__":
    from bench.__main__ import configure

    configure()
    for row in measure(60):
        print(row)
