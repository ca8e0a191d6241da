"""Commit-to-receipt latency of live updates: N WebSocket clients (distinct staff users, each
with its own session) connect to `uvicorn --workers 2` sharing Redis and watch one case page;
this process moves the case back and forth and each client records how long after commit the
update arrived (the payload carries the commit-side timestamp; one machine, one clock)."""

import bisect
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction

from bench.ws_clients import run_clients
from casework.cases.models import Case
from casework.cases.services.transitions import case_transition
from casework.core.roles import Role
from casework.intake.services import Complaint, PartyInput, case_file
from casework.organisation.choices import TeamKind, UnitKind
from casework.organisation.models import Membership, Team, Unit, User
from platforms.models import Company

ROOT = Path(__file__).resolve().parent.parent


def _session_for(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def _live_street():
    """A street of its own for the watchers, so that 500 extra coordinators do not distort the
    other measurements (notifications of new cases, the assignee list of case pages)."""
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    street, _ = Unit.objects.get_or_create(
        code="bench-live",
        defaults={"name": "基准测试街道", "kind": UnitKind.STREET, "parent": district},
    )
    teams = {}
    for kind in (TeamKind.SERVICE_STATION, TeamKind.COORDINATORS):
        team, _ = Team.objects.get_or_create(
            code=f"bench-live-{kind}",
            defaults={"name": f"基准测试{kind}", "kind": kind, "unit": street},
        )
        team.covers.add(street)
        teams[kind] = team
    return street, teams[TeamKind.COORDINATORS]


def _watchers(n: int, team: Team) -> list[User]:
    have = list(User.objects.filter(username__startswith="bench-watcher-").order_by("pk")[:n])
    for i in range(len(have), n):
        have.append(User.objects.create_user(username=f"bench-watcher-{i}", password=None))
    Membership.objects.filter(user__in=have).exclude(team=team).delete()
    Membership.objects.bulk_create(
        [Membership(user=user, team=team, role=Role.COORDINATOR) for user in have],
        ignore_conflicts=True,
    )
    return have


def _watched_case(street, actor) -> Case:
    case = Case.objects.filter(jurisdiction=street, state="verifying").first()
    if case is None:
        worker = User.objects.get(mobile="13800138001")
        platform = Company.objects.get(short_name="速达外卖")
        case = case_file(
            actor=worker,
            channel="online",
            complaint=Complaint(
                category="pay_arrears",
                description="实时推送基准测试案件。",
                jurisdiction=street,
                period_start=date(2026, 9, 1),
                period_end=date(2026, 9, 30),
                parties=[PartyInput(kind="platform", company=platform)],
            ),
        )
        case_transition(actor=actor, case_id=case.pk, name="accept")
        case_transition(actor=actor, case_id=case.pk, name="start_verification")
    return case


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    """The worker processes (multiprocessing's resource tracker is a child too)."""
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout  # noqa: S603, S607
    return [
        int(child)
        for child in out.split()
        if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# The server as deployed (README, production): no permessage-deflate. Browsers offer it, and
# for messages of a hundred bytes it costs CPU on every send to every socket and saves nothing.
SERVER = ["--workers", "2", "--ws-per-message-deflate", "false"]


def _server_args() -> list[str]:
    return os.environ.get("BENCH_WS_SERVER", " ".join(SERVER)).split()


def _transitions(coordinator, case, transitions: int) -> list[float]:
    """Move the case back and forth; the commit times, read by the first on_commit callback
    (before the pushes, which run after it)."""
    commits: list[float] = []
    for i in range(transitions):
        name = "request_response" if i % 2 == 0 else "record_response"
        reason = "" if name == "request_response" else "企业已书面回应"
        with transaction.atomic():
            transaction.on_commit(lambda: commits.append(time.time()))
            case_transition(actor=coordinator, case_id=case.pk, name=name, reason=reason)
        time.sleep(0.25)
    return commits


def measure(*, clients: int = 1000, transitions: int = 60) -> dict:
    street, team = _live_street()
    watchers = _watchers(clients, team)
    coordinator = watchers[0]
    case = _watched_case(street, coordinator)
    sessions = [_session_for(user) for user in watchers]
    port = _free_port()
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": settings.SECRET_KEY}
    server = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "uvicorn", "config.asgi:application"),
            *("--host", "127.0.0.1", "--port", str(port), *_server_args()),
            *("--log-level", os.environ.get("BENCH_LOG", "warning")),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    profiling = os.environ.get("BENCH_PYSPY")
    profile: list[str] = []
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        context = multiprocessing.get_context("fork")  # inherits settings; never touches the DB
        ready, stop, results = context.Event(), context.Event(), context.Queue()
        clients_process = context.Process(
            target=run_clients, args=(port, sessions, case.pk, ready, stop, results)
        )
        clients_process.start()
        if not ready.wait(timeout=180):
            raise RuntimeError("the clients did not all connect")
        workers = _children(server.pid)
        rss_before = {pid: _rss_kib(pid) for pid in workers}
        if profiling:
            from bench import pyspy_top

            spies = pyspy_top.start(workers, profiling)
        load = os.getloadavg()[0]
        cpu_before = {pid: _cpu_s(pid) for pid in [*workers, clients_process.pid]}
        commits = _transitions(coordinator, case, transitions)
        time.sleep(2)
        cpu = {pid: _cpu_s(pid) - was for pid, was in cpu_before.items()}
        load = max(load, os.getloadavg()[0])
        rss_after = {pid: _rss_kib(pid) for pid in workers}
        if profiling:
            profile = pyspy_top.stop(spies)
        stop.set()
        receipts, failures, dropped = results.get(timeout=120)
        clients_process.join(timeout=10)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    latencies, push_lag = [], []
    for received_at, sent_at, _case in receipts:
        committed = commits[max(0, bisect.bisect_right(commits, sent_at) - 1)]
        latencies.append(received_at - committed)
        push_lag.append(sent_at - committed)
    expected = clients * transitions
    ordered = sorted(latencies)

    def pct(p):
        if not ordered:
            return None
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000, 1)

    worker_cpu = sum(cpu[pid] for pid in workers)
    return {
        "load": round(load, 1),
        "profile": profile,
        "clients": clients,
        "worker_processes": len(rss_before),
        "deliveries": len(latencies),
        "failed_connections": len(failures),
        "first_failure": failures[0] if failures else "",
        "dropped_connections": dropped,
        "expected": expected,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.mean(latencies) * 1000, 1) if latencies else None,
        "commit_to_send_ms": round(statistics.median(push_lag) * 1000, 1) if push_lag else None,
        "worker_cpu_ms_per_change": round(1000 * worker_cpu / transitions, 1),
        "worker_cpu_us_per_delivery": round(1e6 * worker_cpu / max(1, len(latencies)), 1),
        "client_cpu_us_per_delivery": round(
            1e6 * cpu[clients_process.pid] / max(1, len(latencies)), 1
        ),
        "worker_rss_mib_before": [round(v / 1024, 1) for v in rss_before.values()],
        "worker_rss_mib_after": [round(v / 1024, 1) for v in rss_after.values()],
    }


def main() -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, nargs="+", default=[1000])
    parser.add_argument("--transitions", type=int, default=60)
    args = parser.parse_args()
    from bench.__main__ import configure

    configure()
    for clients in args.clients:
        figures = measure(clients=clients, transitions=args.transitions)
        profile = figures.pop("profile")
        print(json.dumps(figures, ensure_ascii=False), flush=True)
        for line in profile:
            print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
