"""Foreign IDs in the query string: every page, for every role, with the actor's own objects
in the path and street b's objects in every parameter a filter or a prefilled form might read
(case, company, unit, street, screening, campaign, payment order ...). No page shows street b's
data, none answers 500, nothing of street b changes."""

import pytest
from django.test import Client

from tests.test_foreign_ids.walk import (
    SKIPPED_PREFIXES,
    shown_markers,
    url_patterns,
    variants,
)
from tests.test_foreign_ids.world import World

pytestmark = [pytest.mark.now("2026-04-13", hour=10), pytest.mark.django_db]


def test_no_page_shows_street_bs_objects_named_in_its_query_string():
    world = World()
    query = {key: value for key, value in world.foreign_body().items() if key != "party"}
    query["company_id"] = world.foreign_company.pk
    patterns = [route for route, _p in url_patterns() if not route.startswith(SKIPPED_PREFIXES)]
    checksum = world.foreign_checksum()
    problems, requests = [], 0
    for role, actor in world.actors.items():
        if actor is None:
            continue
        client = Client(raise_request_exception=False)
        ids = {**world.foreign_ids(), **world.own_ids(actor)}
        for route in patterns:
            if route.endswith(("sign-out/", "read-all/")):
                continue
            for path in variants(route, ids)[0]:
                client.force_login(actor)
                response = client.get(path, query)
                requests += 1
                if response.status_code >= 500:
                    problems.append(f"{role} GET {path}: {response.status_code}")
                if shown := shown_markers(response, world.markers):
                    problems.append(f"{role} GET {path}: showed {shown}")
    print(f"\nforeign IDs in query strings: {requests} requests")
    assert world.foreign_checksum() == checksum, "a GET changed street b's records"
    assert not problems, "\n".join(problems)
