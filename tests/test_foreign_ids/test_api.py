"""The two JSON APIs with someone else's objects and forged IDs.

- /api/v1/ (platforms): our platform's token asks about a case that names only another
  company, a case that does not exist, and IDs that are no IDs (beyond 64 bits, negative,
  words, fractions): by every method of every operation that takes a case.
- /api/upstream/v1/ (hotlines): street a's token asks for street b's work order.

The foreign and non-existent cases answer 404 (never 403, never 200); the forged IDs answer
4xx; nothing answers 500, and no row is written.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from casework.cases.choices import Channel
from casework.channels.tokens import upstream_token_create
from platforms.api.services import token_create
from tests.test_foreign_ids.walk import row_counts, url_patterns
from tests.test_foreign_ids.world import World

pytestmark = [pytest.mark.now("2026-04-13", hour=10), pytest.mark.django_db]

# A token's last use; the answer kept for an Idempotency-Key so that a replay gets the same one.
ALLOWED_WRITES = {"api_apitoken", "channels_upstreamtoken", "api_idempotentrequest"}
FORGED = ["99999999999999999999999", "9223372036854775808", "-1", "0", "abc", "1.5", "%00", "１"]
# Valid for each write: a response (accept), a payment report; evidence goes as a file.
BODY = {"kind": "accept", "amount": "100.00", "pay_by": "2026-04-30", "paid_on": "2026-04-12"}


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile("工资条.png", buffer.getvalue(), content_type="image/png")


def _api_routes(prefix: str) -> list[str]:
    return sorted({"/" + route for route, _p in url_patterns() if route.startswith(prefix)})


def _changed(before, after) -> list[str]:
    return [
        table
        for (table, n), (_t, m) in zip(after, before, strict=True)
        if n != m and table not in ALLOWED_WRITES
    ]


def _requests(client, path, headers):
    yield "GET", client.get(path, headers=headers)
    yield (
        "POST",
        client.post(
            path,
            BODY,
            content_type="application/json",
            headers={**headers, "Idempotency-Key": f"attack-{path}"},
        ),
    )


def test_a_platform_token_gets_404_for_another_companys_case_and_forged_ids():
    world = World()
    _token, secret = token_create(actor=world.org.representative, name="我们的系统")
    headers = {"Authorization": f"Bearer {secret}"}
    client = Client(raise_request_exception=False)
    routes = [r for r in _api_routes("api/v1/") if "<case_id>" in r]
    assert len(routes) >= 5, routes
    problems, before = [], row_counts()
    for route in routes:
        # What a case that does not exist gets, by method: a foreign case must get the same.
        nowhere = route.replace("<case_id>", "99999999")
        expected = {m: r.status_code for m, r in _requests(client, nowhere, headers)}
        for case_id, must_be_404 in [
            (world.case.pk, True),
            (99_999_999, True),
            *((forged, False) for forged in FORGED),
        ]:
            path = route.replace("<case_id>", str(case_id))
            for method, response in _requests(client, path, headers):
                where = f"{method} {path}"
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code}")
                elif must_be_404 and method == "GET" and response.status_code not in {404, 405}:
                    problems.append(f"{where}: {response.status_code} instead of 404")
                elif must_be_404 and response.status_code != expected[method]:
                    problems.append(
                        f"{where}: {response.status_code}, a case that does not exist gets "
                        f"{expected[method]} (tells that it exists)"
                    )
                elif response.status_code < 400:
                    problems.append(f"{where}: {response.status_code} for a forged id")
                if world.case.reference in response.content.decode("utf-8", "replace"):
                    problems.append(f"{where}: showed the foreign case")
    assert not problems, "\n".join(problems)
    assert not _changed(before, row_counts())


def test_a_streets_upstream_token_gets_404_for_another_streets_work_order():
    world = World()
    org = world.org
    _token, secret = upstream_token_create(
        actor=org.supervisor, name="东城12345", channel=Channel.HOTLINE_12345, unit=org.a.street
    )
    headers = {"Authorization": f"Bearer {secret}"}
    client = Client(raise_request_exception=False)
    routes = [r for r in _api_routes("api/upstream/v1/") if re.search(r"<\w+>", r)]
    assert routes, "the upstream API reads a work order by its reference"
    problems, before = [], row_counts()
    for route in routes:
        for reference, must_be_404 in [
            ("12345-B-0001", True),  # street b's, registered by its coordinator
            ("12345-NOWHERE", True),
            *((forged, False) for forged in [*FORGED, "x" * 5000, "../../etc/passwd"]),
        ]:
            path = re.sub(r"<\w+>", reference, route)
            for method, response in _requests(client, path, headers):
                where = f"{method} {path[:80]}"
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code}")
                elif must_be_404 and method == "GET" and response.status_code != 404:
                    problems.append(f"{where}: {response.status_code} instead of 404")
    assert not problems, "\n".join(problems)
    assert not _changed(before, row_counts())
