"""Every GET page of the project, for each kind of user, with hostile query strings: pages out
of range or not numbers, absurd and reversed dates, numbers beyond 64 bits, NaN, control
characters, unknown filters. The answer is never a 500 (streamed downloads are read to the
end), and nothing is written but the records of reading (exports, personal data shown).

Each query string sets every parameter any form or view of the project reads (and a few
common ones) at once, so a page meets the value whatever it names its filters.
"""

import importlib
import pkgutil

import pytest
from django import forms
from django.test import Client

import arrears
import casework
import mediation
import platforms
from tests.test_foreign_ids.walk import SKIPPED_PREFIXES, row_counts, url_patterns, variants
from tests.test_foreign_ids.world import World

pytestmark = [pytest.mark.now("2026-04-13", hour=10), pytest.mark.django_db]

RECORDS_OF_READING = ("_session", "_dataaccess", "_ledgerexport")

COMMON = [
    "page",
    "after",
    "before",
    "sort",
    "order",
    "q",
    "month",
    "year",
    "period",
    "from",
    "to",
    "date_from",
    "date_to",
    "start",
    "end",
    "since",
    "until",
    "unit",
    "street",
    "team",
    "company",
    "company_id",
    "case",
    "state",
    "kind",
    "show",
    "panel",
    "download",
    "format",
    "limit",
    "cursor",
    "updated_since",
    "old",
    "new",
    "layout",
    "code",
    "next",
    "template",
]


def parameter_names() -> list[str]:
    """Every field name of every form class of the project, and the names views read."""
    names = set(COMMON)
    for package in (casework, mediation, arrears, platforms):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" in info.name:
                continue
            for obj in vars(importlib.import_module(info.name)).values():
                if isinstance(obj, type) and issubclass(obj, forms.BaseForm):
                    names.update(obj.base_fields)
    return sorted(names)


def hostile_queries(names: list[str]) -> list[list[tuple[str, str]]]:
    def every(value):
        return [(name, value) for name in names]

    starts = ("from", "start", "since", "begin", "after", "date_from", "period_start")
    reversed_dates = [
        (name, "2026-12-31" if name.endswith(starts) else "2026-01-01") for name in names
    ]
    return [
        [("page", "-1"), ("sort", "-pk;drop"), ("unknown_filter", "1")],
        [("page", "99999999999999999999999"), ("after", "abc")],
        every("abc"),
        every("9999-12-31"),
        every("0000-01-01"),
        every("2026-02-30"),
        reversed_dates,
        every("99999999999999999999999"),
        every("-1"),
        every("NaN"),
        every("1e12"),
        every("\x01\x1b[2J\u202e"),
        [("q", "长" * 50_000), ("month", "2026-13"), ("year", "99999")],
        [*every("1"), *every("2")],  # every parameter twice
    ]


def _read(response) -> None:
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


def test_no_get_page_answers_a_hostile_query_string_with_a_server_error():
    world = World()
    org = world.org
    actors = {
        "district supervisor": org.supervisor,
        "platform representative": org.representative,
        "worker": org.worker,
    }
    queries = hostile_queries(parameter_names())
    patterns = [route for route, _p in url_patterns() if not route.startswith(SKIPPED_PREFIXES)]
    counts = row_counts()
    problems, requests = [], 0
    for role, actor in actors.items():
        client = Client(raise_request_exception=False)
        ids = {**world.foreign_ids(), **world.own_ids(actor)}
        for route in patterns:
            if route.endswith(("sign-out/", "read-all/")):
                continue  # POST-only actions; signing out would end the walk
            for path in variants(route, ids)[0]:
                client.force_login(actor)
                if client.get(path).status_code != 200:
                    continue  # not a page this user opens: no filter to attack
                for query in queries:
                    client.force_login(actor)
                    try:
                        response = client.get(path, query)
                        _read(response)
                    except Exception as error:
                        problems.append(f"{role} GET {path} {query[:2]}...: {error!r}")
                        continue
                    requests += 1
                    if response.status_code >= 500:
                        problems.append(f"{role} GET {path} {query[:2]}...: 500")
    changed = [t for (t, n), (_t, m) in zip(row_counts(), counts, strict=True) if n != m]
    print(f"\nhostile query strings: {len(patterns)} routes, {requests} requests")
    assert not problems, "\n".join(problems)
    # Downloads are recorded (who exported what), personal data shown is logged: nothing else.
    assert not [t for t in changed if not t.endswith(RECORDS_OF_READING)], changed
