"""The production topology at work (issue 19): several processes, nothing done twice.

On a bench database of its own (BENCH_TOPOLOGY_DATABASE_URL, by default `<bench
database>_topology` on the same server, made from it as a template when missing), with the
database tasks backend and the database SMS outbox:

- 4 ASGI workers (`uvicorn --workers 4`), 2 task workers (`manage.py db_worker`), and, once
  the people below have started, 2 sweeps (`manage.py sweep_deadlines`: statutory clocks,
  upstream replies, the ledger, risk levels) and 2 `audit_digest` at the same moment; a
  second pair of sweeps after the people are done, as the next tick of a timer;
- people over HTTP (bench/topology_http.py): workers 13800138001-05 sign in with the code
  texted to them and file complaints; staff sign in with the demo password, accept, verify,
  ask the employer to respond, start mediation; a supervisor schedules a session, records it
  held and draws up the agreement (a PDF for the task workers);
- a webhook receiver on loopback, registered twice for the platform the complaints name and
  once for the others: every event the cases raise is delivered by the task workers.

Then, from the database (bench/topology_checks.py): each task run once by one worker, each
document rendered once, each SMS, webhook delivery, timeline entry, warning, escalation and
notification once, and the audit chain verified. Reported with the requests' count and
latency, the run's wall time, and each process's peak RSS and CPU time.

    .venv/bin/python -m bench.topology      # DATABASE_URL: the seeded bench database
"""

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from bench import topology_procs as procs

ROOT = Path(__file__).resolve().parent.parent
ASGI_WORKERS, TASK_WORKERS, SWEEPS = 4, 2, 2
DRAIN_SECONDS = 300
# Clocks the sweeps find due: more than one batch (500) each, so the two sweeps meet.
WARN, BREACH = 800, 600


def _endpoints(port: int):
    """Two endpoints of the platform the complaints name, one of each other platform."""
    from django.contrib.auth import get_user_model

    from platforms.models import Company, Representative
    from platforms.webhooks.choices import EventType
    from platforms.webhooks.models import Endpoint
    from platforms.webhooks.services import endpoint_create

    platforms = list(Company.objects.filter(kind="platform", parent__isnull=True).order_by("pk"))
    platforms = platforms[:3]
    user, _ = get_user_model().objects.get_or_create(
        username="bench.topology", defaults={"display_name": "基准拓扑"}
    )
    ours = Endpoint.objects.filter(url__startswith="http://127.0.0.1:", description="bench")
    for company in platforms:
        Representative.objects.get_or_create(user=user, company=company)
    user = get_user_model().objects.get(pk=user.pk)  # the companies it answers for, afresh
    for company in platforms:
        have = ours.filter(company=company).count()
        for copy in range(have, 2 if company == platforms[0] else 1):
            endpoint_create(
                actor=user,
                company_id=company.pk,
                url=f"http://127.0.0.1:{port}/hook/{company.pk}/{copy}",
                events=list(EventType.values),
                description="bench",
            )
    # Bench rows: the receiver listens on a new port each run.
    for endpoint in ours:
        path = endpoint.url.split("/", 3)[3]
        Endpoint.objects.filter(pk=endpoint.pk).update(
            url=f"http://127.0.0.1:{port}/{path}", is_active=True, events=list(EventType.values)
        )
    Endpoint.objects.filter(url__startswith="http://127.0.0.1:").exclude(
        pk__in=ours.values("pk")
    ).update(is_active=False)
    return platforms[0]


def _make_due() -> dict:
    """Clocks for both sweeps to find (bench data, written directly as bench/sweep.py does):
    WARN clocks enter their warning window today, BREACH clocks were due yesterday, and the
    upstream work orders fall due soon or are overdue. Returns how many of each."""
    from datetime import timedelta

    from django.utils import timezone

    from casework.channels.models import ReplyStatus, UpstreamOrder
    from casework.clocks.models import Deadline, DeadlineStatus

    today = timezone.localdate()
    later = Deadline.objects.filter(
        status=DeadlineStatus.RUNNING,
        warned_at__isnull=True,
        breached_at__isnull=True,
        warn_on__gt=today,
    ).order_by("pk")
    ids = list(later.values_list("pk", flat=True)[: WARN + BREACH])
    Deadline.objects.filter(pk__in=ids[:WARN]).update(warn_on=today)
    Deadline.objects.filter(pk__in=ids[WARN:]).update(
        warn_on=today - timedelta(days=2),
        warned_at=timezone.now(),
        due_on=today - timedelta(days=1),
    )
    orders = list(
        UpstreamOrder.objects.exclude(reply_status=ReplyStatus.SENT).values_list("pk", flat=True)
    )
    half = len(orders) // 2
    UpstreamOrder.objects.filter(pk__in=orders[:half]).update(
        due_on=today + timedelta(days=1), due_warned_at=None
    )
    UpstreamOrder.objects.filter(pk__in=orders[half:]).update(
        due_on=today - timedelta(days=1), overdue_notified_at=None
    )
    return {"warn": len(ids[:WARN]), "breach": len(ids[WARN:]), "upstream_orders": len(orders)}


def _sweeps(label: str) -> list[subprocess.Popen]:
    return [
        (f"{label} {n + 1}", procs.timed(procs.command("sweep_deadlines"))) for n in range(SWEEPS)
    ]


def _drain(before_tasks: set, deadline: float) -> None:
    """Until every task the run queued has finished and no delivery waits."""
    from django_tasks_db.models import DBTaskResult

    from platforms.webhooks.models import Delivery

    while time.monotonic() < deadline:
        waiting = (
            DBTaskResult.objects.exclude(pk__in=before_tasks)
            .filter(status__in=["READY", "RUNNING"])
            .exists()
        )
        if not waiting and not Delivery.objects.filter(status__in=["pending", "retrying"]).exists():
            return
        time.sleep(0.5)


def run() -> dict:
    from django.urls import reverse
    from django.utils import timezone

    from bench import topology_checks, topology_http
    from bench.http_throughput import _machine_jiffies, _server
    from bench.ws_latency import _children, _free_port
    from casework.organisation.models import Unit

    receiver, received = procs.receiver()
    platform = _endpoints(receiver.server_address[1])
    street = Unit.objects.get(name="西兴街道")
    made_due = _make_due()
    # Codes texted by earlier runs count against each number's five an hour (bench data).
    from bench.topology_http import MOBILES
    from casework.organisation.models import OneTimeCode

    OneTimeCode.objects.filter(mobile__in=MOBILES).delete()
    before = topology_checks.marks()
    started_at, log, processes = timezone.now(), [], {}
    machine_before, load_before = _machine_jiffies(), os.getloadavg()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        server = stack.enter_context(_server(port, ASGI_WORKERS))
        workers = [
            procs.start(procs.command("db_worker", "--interval", "0.2"))
            for _ in range(TASK_WORKERS)
        ]
        stack.callback(
            lambda: [os.killpg(w.pid, signal.SIGTERM) for w in workers if w.poll() is None]
        )
        procs.wait_ready(base)
        waits = stack.enter_context(procs.lock_waits())
        began = time.perf_counter()
        # The first tick of the timer: both sweeps and both digests start with the people.
        ticking = _sweeps("sweep, first tick") + [
            (f"audit_digest {n + 1}", procs.timed(procs.command("audit_digest")))
            for n in range(SWEEPS)
        ]
        people = topology_http.people(base, street.pk, platform.pk, log)
        finished = [procs.finish(p, name) for name, p in ticking]
        first_tick_over = time.perf_counter()
        finished += [procs.finish(p, name) for name, p in _sweeps("sweep, second tick")]
        _drain(before["tasks"], time.monotonic() + DRAIN_SECONDS)
        elapsed = time.perf_counter() - began
        pids = {"uvicorn supervisor": server.pid}
        pids |= {f"uvicorn worker {n + 1}": pid for n, pid in enumerate(_children(server.pid))}
        pids |= {f"db_worker {n + 1}": w.pid for n, w in enumerate(workers)}
        processes = {name: procs.usage(pid) for name, pid in pids.items()}
    machine_after = _machine_jiffies()
    receiver.shutdown()
    checks = topology_checks.check_all(before, received, started_at)
    busy, total = (end - start for start, end in zip(machine_before, machine_after, strict=True))
    statuses = {}
    for _method, _path, status, _seconds, _start in log:
        statuses[status] = statuses.get(status, 0) + 1
    seconds = sorted(row[3] for row in log)
    del reverse
    return {
        "requests_while_sweeping": procs.latency(r for r in log if r[4] < first_tick_over),
        "requests_after": procs.latency(r for r in log if r[4] >= first_tick_over),
        "lock_waits": waits.most_common(6),
        "slowest": [
            f"{m} {p} {round(s, 1)} s" for m, p, _st, s, _b in sorted(log, key=lambda r: -r[3])[:6]
        ],
        "seconds": round(elapsed, 1),
        "requests": len(log),
        "statuses": statuses,
        "request_p50_ms": round(seconds[len(seconds) // 2] * 1000, 1) if seconds else None,
        "request_p95_ms": round(seconds[int(len(seconds) * 0.95)] * 1000, 1) if seconds else None,
        "cases_filed": len(people["cases"]),
        "made_due": made_due,
        "errors": people["errors"],
        "commands": finished,
        "processes": processes,
        "checks": checks,
        "machine_cpu_percent": round(busy / total * 100) if total else None,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def _database_url() -> str:
    """The topology's own database: BENCH_TOPOLOGY_DATABASE_URL, else `<bench>_topology`,
    made from the bench database as a template when it does not exist yet."""
    if url := os.environ.get("BENCH_TOPOLOGY_DATABASE_URL"):
        return url
    source = os.environ["DATABASE_URL"]
    server, name = source.rsplit("/", 1)
    if name.endswith("_topology"):
        return source
    target = f"{name}_topology"
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
        if found is None:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(target), sql.Identifier(name)
                )
            )
    return f"{server}/{target}"


def measure(runs: int = 1) -> list[dict]:
    """For `make bench`: the run in a process of its own (its own settings and database),
    as results rows: one for the whole, one per check."""
    del runs  # one run: it changes its database
    from django.db import connections

    for connection in connections.all():  # the template must have no other session
        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()
    env = {**os.environ, "DATABASE_URL": _database_url()}
    done = subprocess.run(
        [sys.executable, "-m", "bench.topology"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    text = done.stdout
    result = json.loads(text[text.index("{") :]) if "{" in text else {}
    checks = result.get("checks", [])
    ok = done.returncode == 0 and checks and all(c["twice"] == 0 for c in checks)
    rows = [
        {
            "operation": f"topology: {ASGI_WORKERS} uvicorn workers, {TASK_WORKERS} db_workers, "
            f"{SWEEPS} sweeps together: {result.get('requests')} requests, "
            f"{result.get('cases_filed')} complaints, errors {len(result.get('errors', [])) or 0}",
            "median_ms": result.get("request_p50_ms"),
            "p95_ms": result.get("request_p95_ms"),
            "queries": None,
            "target": "nothing done twice",
            "issue": 19,
            "meets_target": bool(ok) and not result.get("errors"),
        }
    ]
    rows += [
        {
            "operation": f"topology: {c['check']} ({c['count']:,}, twice {c['twice']})",
            "median_ms": None,
            "p95_ms": None,
            "queries": None,
            "target": "twice 0",
            "issue": 19,
            "meets_target": c["twice"] == 0,
        }
        for c in checks
    ]
    if not checks:
        rows[0]["operation"] += f" (failed: {done.stderr[-300:]})"
    return rows


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("The topology bench needs PostgreSQL: set DATABASE_URL.")
        return 2
    os.environ["ANXIN_TASKS_BACKEND"] = "django_tasks_db.backend.DatabaseBackend"
    os.environ["ANXIN_WEBHOOKS_ALLOW_PRIVATE"] = "1"
    os.environ["ANXIN_SMS_BACKEND"] = "casework.organisation.sms.backends.database.SmsBackend"
    from bench.__main__ import configure

    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = run()
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0 if all(c["twice"] == 0 for c in result["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
