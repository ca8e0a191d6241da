"""Webhook fan-out: 1,000 deliveries through the task worker (issue 15, item 5).

One event (`case.response_requested`) for N cases of the platform the seeded cases name most
(topped up with copies of a case when fewer name it),
to that platform's endpoint: `fan_out` writes the N events, the N deliveries and N task rows
(django-tasks-db, as in production); then two `db_worker --batch` processes (the machine has
two cores) sign and POST them to a receiver on 127.0.0.1 (a thread of this process, answering
200 at once) until every delivery is marked delivered. Reported: the fan-out's time, the
workers' wall time, deliveries per second and the receiver's count.

    DATABASE_URL=postgres://.../anxin_bench .venv/bin/python -m bench.webhooks_fanout \
        [--deliveries 1000]

`make bench` runs it in a process of its own (`row_for_make_bench`), after the other figures.

It sets ANXIN_TASKS_BACKEND to the database backend and ANXIN_WEBHOOKS_ALLOW_PRIVATE=1 (the
receiver is on loopback) for itself and its workers only.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def _receiver():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(self.headers.get("Anxin-Event-Id"))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def _ensure_cases(company, n: int) -> None:
    """Copies of a case the bureau took up, naming `company`, until it has `n` (bench data
    only, written directly like bench/seed.py: no history or timeline rows)."""
    import copy

    from casework.cases.models import Case, CaseParty
    from platforms.portal.selectors import NOT_PUT_TO_EMPLOYER

    taken_up = Case.objects.filter(parties__company=company).exclude(state__in=NOT_PUT_TO_EMPLOYER)
    missing = n - taken_up.distinct().count()
    if missing <= 0:
        return
    template = Case.objects.exclude(state__in=NOT_PUT_TO_EMPLOYER).order_by("pk").first()
    start = Case.objects.filter(reference__startswith="WH-").count()
    clones = []
    for number in range(start, start + missing):
        clone = copy.copy(template)
        clone.pk = clone.id = None
        clone.reference = f"WH-2026-{number:07d}"
        clones.append(clone)
    Case.objects.bulk_create(clones, batch_size=1000)
    CaseParty.objects.bulk_create(
        CaseParty(case=clone, position=1, kind=company.kind, company=company) for clone in clones
    )


def _bench_endpoint(url: str, deliveries: int):
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from casework.cases.models import CaseParty
    from platforms.models import Company, Representative
    from platforms.webhooks.models import Endpoint
    from platforms.webhooks.services import endpoint_create

    top = (
        CaseParty.objects.filter(company__kind="platform")
        .values("company_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    company = Company.objects.get(pk=top["company_id"])
    _ensure_cases(company, deliveries)
    user, _ = get_user_model().objects.get_or_create(
        username="bench.webhooks", defaults={"display_name": "基准推送"}
    )
    Representative.objects.get_or_create(user=user, company=company)
    Endpoint.objects.filter(company=company, url__startswith="http://127.0.0.1:").delete()
    endpoint, _secret = endpoint_create(
        actor=user, company_id=company.pk, url=url, events=["case.response_requested"]
    )
    return company, endpoint


def measure(deliveries: int = 1000) -> dict:
    from django.urls import reverse

    from casework.cases.models import Case
    from platforms.portal.selectors import NOT_PUT_TO_EMPLOYER
    from platforms.webhooks.choices import DeliveryStatus
    from platforms.webhooks.emit import fan_out
    from platforms.webhooks.models import Delivery

    server, received = _receiver()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        company, endpoint = _bench_endpoint(url, deliveries)
        case_ids = list(
            Case.objects.filter(parties__company=company)
            .exclude(state__in=NOT_PUT_TO_EMPLOYER)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .distinct()[:deliveries]
        )
        if len(case_ids) < deliveries:
            raise SystemExit(f"only {len(case_ids)} cases name {company}: seed more cases")
        reverse("portal:home")  # the URL resolver is loaded, as in a running process
        started = time.perf_counter()
        fan_out("case.response_requested", case_ids=case_ids, data={})
        fanned = time.perf_counter() - started
        command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
        started = time.perf_counter()
        workers = [
            subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
            for _ in range(WORKERS)
        ]
        for worker in workers:
            _out, err = worker.communicate(timeout=1800)
            if worker.returncode:
                raise SystemExit(f"db_worker failed: {err.decode()[-2000:]}")
        worked = time.perf_counter() - started
        done = Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.SUCCEEDED).count()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "deliveries": deliveries,
        "delivered": done,
        "received": len(received),
        "fan_out_ms": round(fanned * 1000, 1),
        "workers": WORKERS,
        "worker_seconds": round(worked, 2),
        "deliveries_per_second": round(done / worked, 1) if worked else None,
    }


def row_for_make_bench(deliveries: int = 1000) -> dict:
    """Run this benchmark in a child process (its own settings) and say it as a results row."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.webhooks_fanout", "--deliveries", str(deliveries)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    text = done.stdout
    result = json.loads(text[text.index("{") :]) if "{" in text else {}
    ok = done.returncode == 0 and result.get("delivered") == deliveries
    return {
        "operation": f"webhook fan-out of {deliveries:,} deliveries through 2 db_workers: "
        f"fan-out {result.get('fan_out_ms')} ms, then {result.get('deliveries_per_second')} "
        "deliveries/s",
        "median_ms": round(result.get("worker_seconds", 0) * 1000),
        "p95_ms": None,
        "queries": None,
        "target": "all delivered; reported",
        "issue": 15,
        "meets_target": ok,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deliveries", type=int, default=1000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("The webhook benchmark needs PostgreSQL: set DATABASE_URL.")
        return 2
    os.environ["ANXIN_TASKS_BACKEND"] = "django_tasks_db.backend.DatabaseBackend"
    os.environ["ANXIN_WEBHOOKS_ALLOW_PRIVATE"] = "1"
    from bench.__main__ import configure

    configure()
    result = measure(args.deliveries)
    print(json.dumps(result, indent=2))
    return 0 if result["delivered"] == args.deliveries == result["received"] else 1


if __name__ == "__main__":
    sys.exit(main())
