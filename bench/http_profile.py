"""py-spy on the uvicorn workers during bench/http_throughput.py's measured window: the ten
functions with the most samples of their own (leaf frames), as a profile of where the
workers' CPU goes."""

import collections
import subprocess
import sys
import tempfile
from pathlib import Path

PY_SPY = Path(sys.executable).with_name("py-spy")


def py_spy_start(supervisor: int, seconds: float):
    """py-spy on the workers for the measured window (it pauses them for no more than a
    sample: --nonblocking)."""
    output = Path(tempfile.mkstemp(prefix="anxin-py-spy-", suffix=".txt")[1])
    sampler = subprocess.Popen(  # noqa: S603
        [
            str(PY_SPY),
            "record",
            "--pid",
            str(supervisor),
            "--subprocesses",
            "--nonblocking",
            "--rate",
            "50",
            "--duration",
            str(max(1, int(seconds) - 1)),
            "--format",
            "raw",
            "-o",
            str(output),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return sampler, output


def py_spy_top(sampler, output: Path, count: int = 10) -> list[str]:
    """The functions with the most samples of their own, as 'percent function (file:line)'."""
    sampler.wait(timeout=60)
    own, total = collections.Counter(), 0
    for line in output.read_text().splitlines():
        stack, _sep, samples = line.rpartition(" ")
        frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        if frames and samples.isdigit():
            own[frames[-1].strip()] += int(samples)
            total += int(samples)
    output.unlink()
    return [f"{n / total * 100:.1f}% {name}" for name, n in own.most_common(count)] if total else []
