"""The timing process of bench/replica.py: Django configured with DATABASE_REPLICA_URL, the
pages timed on the primary and on the replica, runs interleaved, while the writer loads the
primary. Prints one JSON line."""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta

WARMUP = 3


def _pages():
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    month_ago = today - timedelta(days=30)
    return [
        (
            "supervisor dashboard (district supervisor, month)",
            "district.supervisor",
            f"{reverse('casework:dashboard')}?period=month",
        ),
        (
            "statistics and charts (street supervisor, this year)",
            "xixing.supervisor",
            f"{reverse('casework:dashboard_measures')}?preset=year",
        ),
        (
            "case export, CSV (street supervisor, cases filed in the last 30 days)",
            "xixing.supervisor",
            f"{reverse('casework:case_export', args=['csv'])}"
            f"?date_from={month_ago:%Y-%m-%d}&date_to={today:%Y-%m-%d}",
        ),
    ]


def _call(client, url):
    response = client.get(url)
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return response.status_code, len(body)


def _time_page(client, url, runs):
    from django.conf import settings
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from casework.core.replica import REPLICA

    figures = {}
    samples = {"primary": [], "replica": []}
    cpu = {"primary": [], "replica": []}
    errors = {"primary": 0, "replica": 0}
    for where in ("primary", "replica"):
        settings.ANXIN_REPLICA_READS = where == "replica"
        for _ in range(WARMUP):
            _call(client, url)
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections[REPLICA]) as replica,
        ):
            _status, size = _call(client, url)
        figures[where] = {
            "queries": len(primary) + len(replica),
            "replica_queries": sum(
                1
                for q in replica.captured_queries
                if "pg_is_in_recovery" not in q["sql"] and q["sql"] != "SELECT 1"
            ),
            "bytes": size,
        }
    for _ in range(runs):  # interleaved: both see the same load
        for where in ("primary", "replica"):
            settings.ANXIN_REPLICA_READS = where == "replica"
            started_cpu, started = time.process_time(), time.perf_counter()
            status, _size = _call(client, url)
            samples[where].append(time.perf_counter() - started)
            cpu[where].append(time.process_time() - started_cpu)
            errors[where] += status != 200
    for where in ("primary", "replica"):
        ordered = sorted(samples[where])
        figures[where].update(
            median_ms=round(statistics.median(ordered) * 1000, 2),
            p95_ms=round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 2),
            cpu_ms=round(statistics.median(cpu[where]) * 1000, 2),
            errors=errors[where],
            load=round(os.getloadavg()[0], 2),
        )
    return figures


def _read_your_writes(rounds: int = 10) -> dict:
    """After the supervisor's own POST: were they kept on the primary at once, and how long
    until the replica had replayed their write (their reads go back to it)?"""
    from django.conf import settings
    from django.urls import reverse

    from bench.measures import _client
    from casework.core import replica
    from casework.organisation.models import User

    settings.ANXIN_REPLICA_READS = True
    user = User.objects.get(username="district.supervisor")
    client = _client("district.supervisor")
    first_on_primary, waits = 0, []
    for _ in range(rounds):
        client.post(reverse("casework:inbox_read_all"))
        written = time.perf_counter()
        # The note holds only until the replica has replayed past the write's WAL position.
        first_on_primary += replica.choose_alias(user) != replica.REPLICA
        while replica.choose_alias(user) != replica.REPLICA:
            if time.perf_counter() - written > 15:
                break
            time.sleep(0.001)
        waits.append(time.perf_counter() - written)
        time.sleep(0.1)
    ordered = sorted(waits)
    return {
        "rounds": rounds,
        "first_on_primary": first_on_primary,
        "back_on_replica": all(w < 15 for w in waits),
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[-1] * 1000, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    from bench.__main__ import configure

    configure()
    from bench.measures import _client

    pages = []
    for name, username, url in _pages():
        client = _client(username)
        figures = _time_page(client, url, args.runs)
        pages.append({"name": name, **figures})
        for where in ("primary", "replica"):
            print(f"  {name} on the {where}: {figures[where]}", file=sys.stderr, flush=True)
    print(json.dumps({"pages": pages, "read_your_writes": _read_your_writes()}))
    return 0
