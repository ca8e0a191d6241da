"""End-to-end HTTP throughput of the coordinator queue (issue 7).

The real ASGI server (`uvicorn config.asgi:application`, DEBUG off, PostgreSQL through the
psycopg pool) serves the queue page that bench/measures.py times in-process, to `clients`
concurrent keep-alive connections signed in as the same coordinator. After a warm-up the
clients run for `seconds`; we report requests per second, latency percentiles and errors (any
answer other than a 200 carrying the queue table).

The clients are a small asyncio HTTP/1.1 client on the standard library (and uvloop, which
uvicorn[standard] brings), in a process of their own so that they do not share the server's
interpreter lock. The client parses the head and reads the whole body of each response; that
costs about 1 % of one core at the rates seen here. The CPU it takes is reported next to the
server's and the whole machine's, so that a reader can see where the two cores went: on a
shared machine the rate moves with other load, the server's CPU time per request much less.

Issue 19's target: at least 150 requests per second on 2 workers, under 10 ms of the workers'
CPU per request (user and system time of the worker processes from /proc, which does not move
with the machine's load as much as the rate does). The clients ask as a browser does, with
`Accept-Encoding: gzip, deflate, br`, so the figure includes compressing the page. With
`profile=True` (`--profile`) py-spy samples the workers during the measured window and the
result lists the ten functions with the most samples of their own (leaf frames).

`.venv/bin/python -m bench.http_throughput [--clients 16 --seconds 20 --workers 2 --profile]`
runs it against an already seeded BENCH_DATABASE_URL (or DATABASE_URL).
"""

import asyncio
import http.client
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from bench.http_profile import py_spy_start, py_spy_top

ROOT = Path(__file__).resolve().parent.parent
# The coordinator bench/measures.py times the queue as, and the same URL: 25 rows, the team
# queue, open cases, newest first.
QUEUE_USER = "xixing.coordinator"
QUEUE_TABLE = b'class="queue-table"'
WARMUP_SECONDS = 3.0
REQUEST_TIMEOUT = 30.0
ACCEPT_ENCODING = "gzip, deflate, br"  # what browsers send
TARGET_REQUESTS_PER_SECOND = 150
TARGET_CPU_MS_PER_REQUEST = 10


def measure_queue_throughput(
    *, clients: int = 16, seconds: float = 20, workers: int = 2, profile: bool = False
) -> dict:
    """Two workers, one a core here. With 8 clients they already keep both cores busy (the rate
    levels off from there); 16 leave a margin for connections that land unevenly. Past that
    point the percentiles are mostly queueing: p50 is about clients / rate."""
    from django.urls import reverse

    from bench.ws_latency import _children, _free_port, _session_for
    from casework.organisation.models import User

    path = reverse("casework:queue") + "?queue=team"
    cookie = f"{settings.SESSION_COOKIE_NAME}={_session_for(User.objects.get(username=QUEUE_USER))}"
    port = _free_port()
    with _server(port, workers) as server:
        cookie = _wait_until_served(port, path, cookie)
        _wait_until_started(server.pid, workers)
        context = multiprocessing.get_context("fork")  # inherits nothing it uses but settings
        measuring, over, results = context.Event(), context.Event(), context.Queue()
        client = context.Process(
            target=_client_process,
            args=(port, path, cookie, clients, seconds, measuring, over, results),
        )
        client.start()
        try:
            if not measuring.wait(timeout=WARMUP_SECONDS + 60):
                raise RuntimeError("the clients did not start")
            # With --workers 1 uvicorn serves from the process it started in.
            worker_pids = _children(server.pid) or [server.pid]
            server_pids = list({server.pid, *worker_pids})
            cpu_before, machine_before = _cpu_seconds(server_pids), _machine_jiffies()
            sampler = py_spy_start(server.pid, seconds) if profile else None
            if not over.wait(timeout=seconds + 60):
                raise RuntimeError("the clients did not finish")
            cpu_after, machine_after = _cpu_seconds(server_pids), _machine_jiffies()
            top_functions = py_spy_top(*sampler) if sampler else None
            cpu = {pid: cpu_after[pid] - cpu_before[pid] for pid in server_pids}
            outcome = results.get(timeout=REQUEST_TIMEOUT + 30)
        finally:
            client.join(timeout=REQUEST_TIMEOUT)
            if client.is_alive():
                client.kill()
    latencies = outcome["latencies"]
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else []

    def ms(cut):
        return round(cuts[cut] * 1000, 1) if cuts else None

    busy, total = (end - start for start, end in zip(machine_before, machine_after, strict=True))
    return {
        "name": f"queue page over HTTP ({clients} keep-alive clients, {workers} uvicorn workers)",
        "requests_per_second": round(len(latencies) / seconds, 1),
        "p50_ms": ms(49),
        "p95_ms": ms(94),
        "p99_ms": ms(98),
        "errors": outcome["errors"],
        "first_error": outcome["first_error"],
        "clients": clients,
        "workers": workers,
        "seconds": seconds,
        # Percent of one core during the measured window; the machine's figure is of all cores.
        "server_cpu_percent": round(sum(cpu.values()) / seconds * 100),
        # A worker far below the others was handed fewer connections (see _one_client).
        "worker_cpu_percent": sorted(
            (round(cpu[pid] / seconds * 100) for pid in worker_pids), reverse=True
        ),
        # Steadier than the rate on a shared machine: other load slows requests, not this.
        "server_cpu_ms_per_request": (
            round(sum(cpu.values()) / len(latencies) * 1000, 1) if latencies else None
        ),
        "client_cpu_percent": round(outcome["cpu_seconds"] / seconds * 100),
        "machine_cpu_percent": round(busy / total * 100) if total else None,
        "load_average": os.getloadavg(),
        "accept_encoding": ACCEPT_ENCODING,
        "profile_top_functions": top_functions,
    }


def row_for_make_bench(throughput: dict) -> dict:
    """The row of `make bench`'s table, with issue 19's target."""
    rate, cpu = throughput["requests_per_second"], throughput["server_cpu_ms_per_request"]
    return {
        "operation": f"{throughput['name']}: {rate} requests/s, {cpu} ms of worker CPU per "
        f"request, {throughput['errors']} errors (load {throughput['load_average'][0]:.1f})",
        "median_ms": throughput["p50_ms"],
        "p95_ms": throughput["p95_ms"],
        "queries": None,
        "target": f">= {TARGET_REQUESTS_PER_SECOND} requests/s, "
        f"< {TARGET_CPU_MS_PER_REQUEST} ms CPU per request, no errors",
        "issue": 19,
        "meets_target": throughput["errors"] == 0
        and rate >= TARGET_REQUESTS_PER_SECOND
        and cpu is not None
        and cpu < TARGET_CPU_MS_PER_REQUEST,
    }


def _wait_until_started(supervisor: int, workers: int) -> None:
    """Until every worker has finished importing Django (its CPU time stops climbing): a worker
    still starting when the clients connect gets none of their keep-alive connections."""
    from bench.ws_latency import _children

    deadline = time.monotonic() + 120
    previous = None
    while time.monotonic() < deadline:
        pids = _children(supervisor) or [supervisor]
        current = _cpu_seconds(pids) if len(pids) >= min(workers, 2) else None
        settled = current and previous and current.keys() == previous.keys()
        if settled and all(current[pid] - previous[pid] < 0.05 for pid in current):
            return
        previous = current
        time.sleep(0.5)


@contextmanager
def _server(port: int, workers: int):
    """uvicorn as deployed (README, "Production"), in a session of its own to stop it whole."""
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": settings.SECRET_KEY}
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-server-header",
            "--no-access-log",
            "--log-level",
            os.environ.get("BENCH_LOG", "warning"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_until_served(port: int, path: str, cookie: str) -> str:
    """Polls until the page comes back whole (the supervisor accepts connections before its
    workers have imported Django); returns the cookie header with the CSRF cookie the page
    sets, which a browser would send back."""
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            body = response.read()
            connection.close()
            if response.status == 200 and QUEUE_TABLE in body:
                csrf = response.headers.get_all("Set-Cookie") or []
                tokens = [c.split(";")[0] for c in csrf if c.startswith(settings.CSRF_COOKIE_NAME)]
                return "; ".join([cookie, *tokens])
            raise RuntimeError(f"the queue page answered {response.status} to the coordinator")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _client_process(port, path, cookie, clients, seconds, measuring, over, results) -> None:
    try:
        from uvloop import new_event_loop
    except ImportError:
        new_event_loop = None
    started = time.process_time()
    outcome = asyncio.run(
        _clients(port, path, cookie, clients, seconds, measuring, over),
        loop_factory=new_event_loop,
    )
    outcome["cpu_seconds"] = time.process_time() - started
    results.put(outcome)


async def _clients(port, path, cookie, clients, seconds, measuring, over) -> dict:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
        f"Accept: text/html\r\nAccept-Encoding: {ACCEPT_ENCODING}\r\n"
        "User-Agent: anxin-bench\r\n\r\n"
    ).encode("latin-1")
    loop = asyncio.get_running_loop()
    window = {"from": loop.time() + WARMUP_SECONDS}
    window["to"] = window["from"] + seconds
    outcome = {"latencies": [], "errors": 0, "first_error": ""}

    async def announce():  # the parent reads the server's CPU time at both ends of the window
        await asyncio.sleep(window["from"] - loop.time())
        measuring.set()
        await asyncio.sleep(window["to"] - loop.time())
        over.set()

    # Connections open one by one over the first half of the warm-up. Opened all at once they
    # queue up, and the first worker to wake takes as many as it finds (the event loop accepts
    # until the queue is empty): keep-alive then holds the imbalance for the whole run.
    stagger = WARMUP_SECONDS / 2 / clients
    await asyncio.gather(
        announce(),
        *(_one_client(port, request, window, outcome, i * stagger) for i in range(clients)),
    )
    return outcome


async def _one_client(port, request, window, outcome, delay: float) -> None:
    """One keep-alive connection asking again as soon as each answer has arrived; only requests
    that start and end inside the window count."""
    loop = asyncio.get_running_loop()
    reader = writer = None
    await asyncio.sleep(delay)
    while (started := loop.time()) < window["to"]:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status, body, keep_alive = await asyncio.wait_for(_response(reader), REQUEST_TIMEOUT)
            problem = "" if status == 200 and QUEUE_TABLE in body else f"HTTP {status}"
        except Exception as error:  # a refused, dropped or garbled answer is counted, not fatal
            problem, keep_alive = repr(error)[:200], False
            await asyncio.sleep(0.05)  # not a busy loop against a server that is down
        finished = loop.time()
        if not keep_alive and writer is not None:
            writer.close()
            reader = writer = None
        if started < window["from"] or finished > window["to"]:
            continue
        if problem:
            outcome["errors"] += 1
            outcome["first_error"] = outcome["first_error"] or problem
        else:
            outcome["latencies"].append(finished - started)
    if writer is not None:
        writer.close()


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        body = await _chunked(reader)
    else:
        raise ValueError("a response without a length cannot be followed on the same connection")
    if headers.get("content-encoding") == "br":
        import brotli

        body = brotli.decompress(body)
    elif headers.get("content-encoding") == "gzip":
        import gzip

        body = gzip.decompress(body)
    return status, body, headers.get("connection") != "close"


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        parts.append(await reader.readexactly(size + 2))
        parts[-1] = parts[-1][:-2]
    await reader.readuntil(b"\r\n")
    return b"".join(parts)


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system time of each process (fields 14 and 15 of /proc/PID/stat)."""
    seconds = {}
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def _machine_jiffies() -> tuple[int, int]:
    """Busy and total CPU time of the whole machine, all cores (first line of /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return sum(values) - idle, sum(values)


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="py-spy's top ten functions")
    args = parser.parse_args()
    database = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        print("Set BENCH_DATABASE_URL (or DATABASE_URL) to the seeded PostgreSQL bench database.")
        return 2
    os.environ["DATABASE_URL"] = database
    from bench.__main__ import configure

    configure()
    from django.db import DatabaseError

    from casework.organisation.models import User

    try:
        seeded = User.objects.filter(username=QUEUE_USER).exists()
    except DatabaseError:  # not even migrated
        seeded = False
    if not seeded:
        print(f"No {QUEUE_USER} here: seed first (make bench N=10000 BENCH_DATABASE_URL=...).")
        return 2
    result = measure_queue_throughput(
        clients=args.clients, seconds=args.seconds, workers=args.workers, profile=args.profile
    )
    for key, value in result.items():
        if key == "profile_top_functions" and value:
            print(f"{key}:", *value, sep="\n  ")
        else:
            print(f"{key}: {value}")
    print("meets issue 19's target:", row_for_make_bench(result)["meets_target"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
