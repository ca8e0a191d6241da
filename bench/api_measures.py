"""Issue 15's API figures, timed like bench/measures.py: the list of 50 cases awaiting a
platform's response, and a response POSTed through the API (with its Idempotency-Key), both
through the full middleware stack with a bearer token.

`measure(runs)` returns rows in the shape of measures.run_all's `record()`. On its own, on a
database of its own: `python -m bench.api_measures --cases 5000` (DATABASE_URL: PostgreSQL).
"""

import argparse
import os
import sys
import uuid
from datetime import timedelta

ISSUE = 15
REPRESENTATIVE = "bench.api.representative"


def _token_for_platform():
    from django.contrib.auth import get_user_model

    from platforms.api.services import token_create
    from platforms.models import Company, Representative

    platform = Company.objects.get(short_name="速达外卖")
    user, _created = get_user_model().objects.get_or_create(
        username=REPRESENTATIVE, defaults={"display_name": "基准平台代表"}
    )
    Representative.objects.get_or_create(user=user, company=platform)
    return user, token_create(actor=user, name="bench")[1]


def _ask_for_responses(user, wanted: int) -> None:
    """Put verifying cases of the platform's chain to it until `wanted` await its response (a
    seeded database has few), through the real service, as the district supervisor."""
    from django.contrib.auth import get_user_model

    from casework.cases.services.transitions import case_request_response
    from platforms.responses.access import represented_cases

    cases = represented_cases(user=user)
    missing = wanted - cases.filter(state="awaiting_response").count()
    if missing <= 0:
        return
    supervisor = get_user_model().objects.get(username="district.supervisor")
    for pk in (
        cases.filter(state="verifying").order_by("-pk").values_list("pk", flat=True)[:missing]
    ):
        case_request_response(actor=supervisor, case_id=pk)


def measure(runs: int) -> list[dict]:
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from bench.__main__ import summarise
    from bench.measures import WARMUP, _ok, _timed
    from platforms.api.selectors import api_case_page

    settings.ANXIN_API_READS_PER_MINUTE = settings.ANXIN_API_WRITES_PER_MINUTE = 10**9
    user, secret = _token_for_platform()
    _ask_for_responses(user, 50 + runs + WARMUP + 1)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    results = []

    def record(name, samples, queries, target_ms, max_queries):
        summary = summarise(samples)
        meets = summary["median_ms"] <= target_ms and (
            max_queries is None or queries <= max_queries
        )
        results.append(
            {
                "operation": name,
                **summary,
                "queries": queries,
                "target": f"median < {target_ms} ms"
                + (f", ≤ {max_queries} queries" if max_queries else ""),
                "issue": ISSUE,
                "meets_target": meets,
            }
        )
        print(f"  {name}: {summary} queries={queries}", flush=True)

    awaiting = client.get("/api/v1/cases/?limit=100").json()["items"]
    samples, queries = _timed(lambda: _ok(client.get("/api/v1/cases/?limit=50")), runs)
    shown = min(50, len(awaiting))
    record(f"API: list of {shown} cases awaiting response", samples, queries, 30, 6)

    # Respond to awaiting cases one by one, oldest pages first: each POST answers a fresh case.
    page = api_case_page(user=user, limit=100)
    targets = [item["id"] for item in page["items"]]
    cursor = page["next_cursor"]
    while len(targets) < runs + WARMUP + 1 and cursor:
        page = api_case_page(user=user, limit=100, cursor=cursor)
        targets += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
    if len(targets) < runs + WARMUP + 1:
        print(f"  API respond POST: only {len(targets)} cases await a response; skipped")
        return results
    pay_by = (timezone.localdate() + timedelta(days=14)).isoformat()

    def respond():
        case_id = targets.pop()
        _ok(
            client.post(
                f"/api/v1/cases/{case_id}/responses/",
                {"kind": "accept", "amount": "1000.00", "pay_by": pay_by},
                content_type="application/json",
                headers={"Idempotency-Key": str(uuid.uuid4())},
            ),
            201,
        )

    samples, queries = _timed(respond, runs)
    record("API: respond POST (accept, with Idempotency-Key)", samples, queries, 60, None)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("needs PostgreSQL: set DATABASE_URL")
        return 2
    from bench.__main__ import configure

    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.seed import seed_cases

    seed_cases(args.cases)
    rows = measure(args.runs)
    return 0 if all(row["meets_target"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
