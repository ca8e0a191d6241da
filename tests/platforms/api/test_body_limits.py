"""Bodies too large for an API route are refused at the ASGI edge, unread, as JSON."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from tests.config.test_edge import MB, post


@pytest.mark.asyncio
async def test_a_large_json_body_is_refused_unread_with_a_json_413():
    status, body, read = await post(
        "/api/v1/cases/1/responses/",
        [b"x" * MB] * 3,
        content_length=3 * MB,
        headers=[(b"accept-language", b"en")],
    )
    assert (status, read) == (413, 0)
    error = json.loads(body)["error"]
    assert error["code"] == "too_large" and "larger than" in error["message"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_evidence_route_takes_what_its_files_need(settings):
    # 5 MB of files pass the edge (then the missing token answers 401, in JSON).
    status, body, read = await post(
        "/api/v1/cases/1/evidence/", [b"x" * MB] * 5, content_length=5 * MB
    )
    assert (status, read) == (401, 5)
    assert json.loads(body)["error"]["code"] == "unauthenticated"
    over = settings.ANXIN_MAX_REQUEST_BYTES + 1
    status, _body, read = await post("/api/v1/cases/1/evidence/", [b"x"], content_length=over)
    assert (status, read) == (413, 0)
    await sync_to_async(connections.close_all)()
