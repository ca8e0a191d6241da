"""`python -m bench.chain_overhead --cases N`: what the audit chain costs the intake and
transition POSTs, measured side by side with the chain switched off.

The chain is written in Python through one door (`casework.audit.chain.append`, reached from
simple-history's and the timeline's signals and from `rows_written`); PostgreSQL's triggers
only refuse UPDATE and DELETE and cost an INSERT nothing. Switching the chain off here means
making that door do nothing, for this process only, while the benchmark runs: there is no
setting or environment variable that does it (a production switch would be a way to write
unaudited rows). Rows written while it is off are not in the chain, so `verify_audit` names
them afterwards: never run this against a database whose audit log matters.

The two modes alternate in blocks of five requests (on, off, off, on, ...) so that the shared
machine's drift lands on both alike; process CPU time is reported beside wall time. Run alone
it seeds N cases (default 100,000) into DATABASE_URL, or BENCH_DATABASE_URL; `make bench`
calls `measure` after its own seeding.
"""

import argparse
import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_PERCENT = 10.0


@contextmanager
def chain_switched_off():
    """Bench only: the chain's door appends nothing until the block ends."""
    from casework.audit import chain
    from casework.core import audit_hook

    door = chain.append
    listeners = list(audit_hook._listeners)
    chain.append = lambda rows: None
    audit_hook._listeners[:] = [listener for listener in listeners if listener is not door]
    try:
        yield
    finally:
        chain.append = door
        audit_hook._listeners[:] = listeners


def _side_by_side(call, *, runs: int, block: int) -> dict:
    """Median ms of `call` with the chain on and off, in alternating blocks of `block` calls:
    wall time (what the user waits, PostgreSQL included) and this process's CPU time (less
    disturbed by the other work of a shared machine, but blind to PostgreSQL's share)."""
    from bench.measures import WARMUP

    for _ in range(WARMUP):
        call()
    wall = {"on": [], "off": []}
    cpu = {"on": [], "off": []}
    for round_number in range(max(1, runs // block)):
        order = ("on", "off") if round_number % 2 == 0 else ("off", "on")
        for mode in order:
            with chain_switched_off() if mode == "off" else _nothing():
                for _ in range(block):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    call()
                    wall[mode].append(time.perf_counter() - started)
                    cpu[mode].append(time.process_time() - started_cpu)

    def median_ms(samples):
        return statistics.median(samples) * 1000

    on, off = median_ms(wall["on"]), median_ms(wall["off"])
    cpu_on, cpu_off = median_ms(cpu["on"]), median_ms(cpu["off"])
    return {
        "with_chain_ms": round(on, 2),
        "without_chain_ms": round(off, 2),
        "added_ms": round(on - off, 2),
        "overhead_percent": round((on - off) / off * 100, 1),
        "cpu_with_chain_ms": round(cpu_on, 2),
        "cpu_without_chain_ms": round(cpu_off, 2),
        "cpu_overhead_percent": round((cpu_on - cpu_off) / cpu_off * 100, 1),
        "samples_each": len(wall["on"]),
    }


@contextmanager
def _nothing():
    yield


def measure(runs: int = 60, block: int = 5) -> list[dict]:
    """Rows for `make bench`: intake and transition POSTs, chain on and off."""
    from django.urls import reverse

    from bench.measures import WARMUP, _client, _ok, intake_form
    from casework.cases.models import Case
    from casework.organisation.models import Unit

    coordinator = _client("xixing.coordinator")
    intake_url = reverse("casework:staff_intake")
    form = intake_form()
    intake = _side_by_side(
        lambda: _ok(coordinator.post(intake_url, form), 302), runs=runs, block=block
    )
    # every sample accepts a complaint nobody has touched yet (the intake above made plenty)
    street = Unit.objects.get(code="xixing")
    fresh = list(
        Case.objects.filter(state="submitted", jurisdiction=street)
        .order_by("-pk")
        .values_list("pk", flat=True)[: 2 * runs + WARMUP + 2]
    )

    def accept_next():
        case_id = fresh.pop()
        url = reverse("casework:case_transition", args=[case_id, "accept"])
        _ok(coordinator.post(url, {"expected_state": "submitted"}), 302)

    transition = _side_by_side(accept_next, runs=runs, block=block)
    rows = []
    for name, figures in (
        ("intake POST", intake),
        ("transition POST (accept)", transition),
    ):
        print(f"  audit chain on {name}: {figures}", flush=True)
        rows.append(
            {
                "operation": f"{name} with the audit chain / without: "
                f"{figures['with_chain_ms']} / {figures['without_chain_ms']} ms "
                f"(+{figures['overhead_percent']} %; CPU +{figures['cpu_overhead_percent']} %)",
                "median_ms": figures["with_chain_ms"],
                "p95_ms": None,
                "queries": None,
                "target": f"chain adds ≤ {TARGET_PERCENT:g} %",
                "issue": 17,
                "meets_target": figures["overhead_percent"] <= TARGET_PERCENT,
                "side_by_side": figures,
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/anxin_bench"
        )
    from bench.__main__ import configure

    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.seed import seed_cases

    seed_cases(args.cases)
    rows = measure(args.runs)
    RESULTS.mkdir(exist_ok=True)
    report = {"cases": args.cases, "runs": args.runs, "results": rows}
    path = RESULTS / f"chain-overhead-{args.cases}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if all(row["meets_target"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
