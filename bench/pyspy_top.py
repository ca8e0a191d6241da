"""py-spy on running processes: sample them while a benchmark runs and print the ten functions
with the most own time (the leaf frame of each sample). Used by bench/ws_latency.py when
BENCH_PYSPY names a directory."""

import collections
import os
import signal
import subprocess
import sys
from pathlib import Path

PYSPY = Path(sys.executable).with_name("py-spy")


def start(pids: list[int], directory: str) -> list[tuple[subprocess.Popen, Path]]:
    Path(directory).mkdir(parents=True, exist_ok=True)
    running = []
    for pid in pids:
        out = Path(directory) / f"{pid}.txt"
        process = subprocess.Popen(  # noqa: S603
            [
                str(PYSPY),
                "record",
                "--pid",
                str(pid),
                "--format",
                "raw",
                "--rate",
                "250",
                "--nonblocking",
                "--output",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        running.append((process, out))
    return running


def stop(running: list[tuple[subprocess.Popen, Path]]) -> list[str]:
    for process, _out in running:
        process.send_signal(signal.SIGINT)
    for process, _out in running:
        process.wait(timeout=30)
    return top([out for _process, out in running if out.exists()])


def top(files: list[Path], n: int = 10) -> list[str]:
    """The n functions with the most own time over all the files, as "share% function (file)"."""
    own: collections.Counter = collections.Counter()
    for path in files:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack:
                continue
            leaf = stack.rsplit(";", 1)[-1]
            name, _, where = leaf.partition(" (")
            own[f"{name} ({os.path.basename(where.rsplit(':', 1)[0])})"] += int(count)
    total = sum(own.values()) or 1
    return [f"{100 * c / total:5.1f}% {name}" for name, c in own.most_common(n)]
