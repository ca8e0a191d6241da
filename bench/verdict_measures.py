"""Issue 20's read-side pages: the supervisors' satisfaction page (satisfaction rate by team,
street, category and channel over every rating they see) and the merge preview, timed like
bench/measures.py times the others. Ratings are bulk-written for concluded cases that have
none (benchmark data, not domain flow), one in ten bad.

`python -m bench.verdict_measures [--ratings N] [--runs N]` on the configured database;
`make bench` calls `measure(runs)`.
"""

import argparse
import sys

ISSUE = 20
LEVELS = (5, 4, 4, 3, 5, 4, 3, 5, 4, 1)


def seed_ratings(limit: int) -> int:
    from django.utils import timezone

    from casework.cases.models import Case
    from casework.ratings.models import CaseRating
    from casework.ratings.services import RATEABLE_STATES

    cases = list(
        Case.objects.filter(state__in=RATEABLE_STATES, rating__isnull=True)
        .order_by("pk")
        .values_list("pk", "worker_id")[:limit]
    )
    now = timezone.now()
    rows = [
        CaseRating(case_id=pk, worker_id=worker, level=LEVELS[i % 10], rated_at=now, changed_at=now)
        for i, (pk, worker) in enumerate(cases)
    ]
    CaseRating.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _open_pair():
    """Two open cases of one worker (the merge preview's input), or None."""
    from django.db.models import Count

    from casework.cases.lifecycle import OPEN_STATES
    from casework.cases.models import Case

    worker = (
        Case.objects.filter(state__in=OPEN_STATES, jurisdiction__code="xixing")
        .values("worker_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("worker_id")
        .values_list("worker_id", flat=True)
        .first()
    )
    if worker is None:
        return None
    return list(
        Case.objects.filter(worker_id=worker, state__in=OPEN_STATES, jurisdiction__code="xixing")
        .order_by("pk")
        .values_list("pk", flat=True)[:2]
    )


def measure(runs: int, *, ratings: int = 20_000) -> list[dict]:
    # Imported here: `python -m bench.verdict_measures` sets Django up first.
    from django.urls import reverse

    from bench.__main__ import summarise
    from bench.measures import _client, _ok, _timed
    from casework.ratings.models import CaseRating

    added = seed_ratings(ratings)
    print(f"  ratings: {CaseRating.objects.count():,} ({added:,} added)", flush=True)
    results = []

    def record(name, samples, queries, target_ms, max_queries):
        summary = summarise(samples)
        results.append(
            {
                "operation": name,
                **summary,
                "queries": queries,
                "target": f"median < {target_ms} ms, ≤ {max_queries} queries",
                "issue": ISSUE,
                "meets_target": summary["median_ms"] <= target_ms and queries <= max_queries,
            }
        )
        print(f"  {name}: {summary} queries={queries}", flush=True)

    page = reverse("casework:satisfaction")
    for username, who in (("district.supervisor", "district"), ("xixing.supervisor", "street")):
        client = _client(username)
        samples, queries = _timed(lambda c=client: _ok(c.get(page)), runs)
        record(f"satisfaction page ({who} supervisor)", samples, queries, 300, 12)
    pair = _open_pair()
    if pair:
        client = _client("xixing.coordinator")
        preview = reverse("casework:case_merge_preview", args=pair)
        samples, queries = _timed(lambda: _ok(client.get(preview)), runs)
        record("merge preview (two open cases of one worker)", samples, queries, 100, 12)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ratings", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    from bench.__main__ import configure

    configure()
    rows = measure(args.runs, ratings=args.ratings)
    return 0 if all(row["meets_target"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
