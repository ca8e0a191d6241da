"""Issue 7's read-side pages, timed like bench/measures.py times the others: the supervisor
dashboard and the employer totals, through the test client (middleware, templates, queries).

`measure(runs)` returns rows in the shape of measures.run_all's `record()`.
"""

from django.urls import reverse

from bench.measures import _client, _ok, _timed

ISSUE = 7


def measure(runs: int, *, periods: tuple[str, ...] = ("month",)) -> list[dict]:
    from arrears.models import EmployerTotal
    from bench.__main__ import summarise

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

    dashboard = reverse("casework:dashboard")
    for username, who in (("district.supervisor", "district"), ("xixing.supervisor", "street")):
        client = _client(username)
        for period in periods:
            url = f"{dashboard}?period={period}"
            samples, queries = _timed(lambda url=url, c=client: _ok(c.get(url)), runs)
            record(f"supervisor dashboard ({who} supervisor, {period})", samples, queries, 150, 15)

    district = _client("district.supervisor")
    totals = reverse("arrears:employers")
    samples, queries = _timed(lambda: _ok(district.get(totals)), runs)
    record(
        "employer totals (top 25 by outstanding, district supervisor)", samples, queries, 150, 10
    )

    largest = EmployerTotal.objects.order_by("-cases").values_list("company_id", flat=True).first()
    if largest is not None:
        page = reverse("arrears:employer_detail", args=[largest])
        samples, queries = _timed(lambda: _ok(district.get(page)), runs)
        record(
            "employer page (largest employer, 25 cases by balance, district supervisor)",
            samples,
            queries,
            150,
            10,
        )
    return results
