"""Every URL of the project, for every role, with the IDs of someone else's objects (the
package's docstring says how)."""

import itertools

import pytest
from django.test import Client

from tests.test_foreign_ids.walk import (
    PUBLIC,
    REFUSED,
    SKIPPED_PREFIXES,
    is_sign_in_redirect,
    row_counts,
    shown_markers,
    url_patterns,
    variants,
    writes,
)
from tests.test_foreign_ids.world import World

pytestmark = [pytest.mark.now("2026-04-13", hour=10), pytest.mark.django_db]


def test_no_url_answers_any_role_with_someone_elses_objects():
    world = World()
    foreign, body = world.foreign_ids(), world.foreign_body()
    patterns = [(route, p) for route, p in url_patterns() if not route.startswith(SKIPPED_PREFIXES)]
    problems, requests, combinations = [], 0, 0
    checksum, counts, written = world.foreign_checksum(), row_counts(), writes()
    for role, actor in world.actors.items():
        client = Client(raise_request_exception=False)
        own = {**foreign, **world.own_ids(actor)}
        for route, pattern in patterns:
            combinations += 1
            public = pattern.lookup_str in PUBLIC
            for ids, foreign_path in ((foreign, True), (own, False)):
                paths, names_object = variants(route, ids)
                # With the actor's own objects in the path, a second POST names the actor's own
                # complaints in `cases` and foreign objects everywhere else.
                bodies = [("get", {}), ("post", body)]
                if not foreign_path:
                    bodies.append(("post", {**body, "cases": [world.own_second.pk]}))
                for path, (method, data) in itertools.product(paths, bodies):
                    if actor is not None and "_auth_user_id" not in client.session:
                        client.force_login(actor)  # again, after /sign-out/
                    response = getattr(client, method)(path, data)
                    requests += 1
                    where = f"{role} {method.upper()} {path}"
                    if response.status_code >= 500:
                        problems.append(f"{where}: {response.status_code}")
                    if written is None or writes() != written:
                        if world.foreign_checksum() != checksum:
                            problems.append(f"{where}: changed street b's records")
                            checksum = world.foreign_checksum()
                        now = row_counts()
                        if foreign_path and names_object and now != counts:
                            changed = [
                                t for (t, n), (_t, m) in zip(now, counts, strict=True) if n != m
                            ]
                            problems.append(f"{where}: added or removed rows in {changed}")
                        counts, written = now, writes()
                    if shown := shown_markers(response, world.markers):
                        problems.append(f"{where}: showed {shown}")
                    if foreign_path and names_object and not public:
                        if actor is None:
                            refused = is_sign_in_redirect(response)
                        else:
                            refused = response.status_code in REFUSED
                        if not refused:
                            problems.append(
                                f"{where}: answered {response.status_code} "
                                f"{response.get('Location', '')} instead of 404"
                            )
    # The test must not pass by filling no ID: most routes name an object in their path.
    naming = [route for route, _p in patterns if variants(route, foreign)[1]]
    assert len(naming) >= len(patterns) // 2, f"only {len(naming)} routes got a foreign ID"
    print(
        f"\nforeign IDs: {len(patterns)} URL patterns x {len(world.actors)} roles = "
        f"{combinations} combinations, {requests} requests"
    )
    assert not problems, "\n".join(problems)
