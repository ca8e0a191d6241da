"""The processes of bench/topology.py: starting them, their memory and CPU, the webhook
receiver they deliver to, and the latency figures of the requests."""

import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def receiver():
    """Answers 200 to every webhook POST and keeps (path, Anxin-Event-Id) of each."""
    received: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append((self.path, self.headers.get("Anxin-Event-Id")))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def command(*args: str) -> list[str]:
    return [sys.executable, "manage.py", *args]


def start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def usage(pid: int) -> dict:
    """Peak and current RSS (MiB) and CPU seconds of a running process, from /proc."""
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return {
        "peak_rss_mib": round(int(status["VmHWM"].split()[0]) / 1024, 1),
        "rss_mib": round(int(status["VmRSS"].split()[0]) / 1024, 1),
        "cpu_s": round(cpu, 2),
    }


def _watch(process: subprocess.Popen) -> None:
    """Keep the peak RSS of a short-lived command while it runs (wait4's ru_maxrss would
    count the parent's memory at fork, before the exec)."""
    process.peak_kib = 0

    def sample():
        path = Path(f"/proc/{process.pid}/status")
        while process.returncode is None:
            try:
                text = path.read_text()
            except OSError:
                return
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    process.peak_kib = max(process.peak_kib, int(line.split()[1]))
            time.sleep(0.1)

    threading.Thread(target=sample, daemon=True).start()


def finish(process: subprocess.Popen, name: str) -> dict:
    """Wait for a short-lived command; its wall time, peak RSS and CPU time."""
    started = process.started  # set by _timed
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    return {
        "process": name,
        "seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mib": round(process.peak_kib / 1024, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "exit": process.returncode,
        "output": (out.strip().splitlines() or [""])[-4:]
        if not process.returncode
        else err[-1500:],
    }


def timed(command: list[str]) -> subprocess.Popen:
    process = start(command)
    process.started = time.perf_counter()
    _watch(process)
    return process


def latency(rows) -> dict:
    seconds = sorted(row[3] for row in rows)
    if not seconds:
        return {"requests": 0}
    return {
        "requests": len(seconds),
        "p50_ms": round(seconds[len(seconds) // 2] * 1000, 1),
        "p95_ms": round(seconds[int(len(seconds) * 0.95)] * 1000, 1),
    }


def wait_ready(base: str) -> None:

    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


@contextmanager
def lock_waits(every: float = 0.5):
    """Twice a second, the statements of this database waiting for a lock (pg_stat_activity),
    counted by their first words: where the processes queue for one another."""
    from django.db import connections

    seen: Counter = Counter()
    stop = threading.Event()

    def sample():
        with connections["default"].cursor() as cursor:
            while not stop.wait(every):
                cursor.execute(
                    "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 70) "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
                seen.update(row[0] for row in cursor.fetchall())
        connections["default"].close()

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(timeout=10)
