"""The ASGI edge: request bodies refused before they are read, WebSocket origins with ports."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client
from django.utils import translation

from config.asgi import application
from tests.factories.cases import make_org

MB = 1024 * 1024


async def post(path, chunks, *, content_length=None, headers=()):
    """POST `chunks` to the real ASGI application; returns (status, body, chunks read)."""
    read = 0
    queue = list(chunks)

    async def receive():
        nonlocal read
        if not queue:
            await asyncio.Future()  # the client waits for the answer
        read += 1
        chunk = queue.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(queue)}

    sent = []

    async def send(message):
        sent.append(message)

    request_headers = [(b"host", b"localhost"), *headers]
    if content_length is not None:
        request_headers.append((b"content-length", str(content_length).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": request_headers,
        "client": ("127.0.0.1", 5000),
        "server": ("localhost", 80),
    }
    await application(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body.decode(), read


@pytest.mark.asyncio
async def test_a_200_mb_anonymous_post_is_refused_by_its_length_before_reading_it():
    status, body, read = await post(
        "/documents/verify/ABCD-EFGH/",
        [b"x" * MB] * 200,
        content_length=200 * MB,
        headers=[(b"accept-language", b"en")],
    )
    assert status == 413 and read == 0
    assert "Too large" in body and "21.0\xa0MB" in body


@pytest.mark.asyncio
async def test_a_streamed_body_without_length_is_cut_off_at_the_limit(settings):
    status, _body, read = await post("/documents/verify/ABCD-EFGH/", [b"x" * MB] * 200)
    assert status == 413
    assert read == settings.ANXIN_VERIFY_MAX_REQUEST_BYTES // MB + 1, "reading stopped there"


@pytest.mark.asyncio
async def test_a_form_without_files_takes_a_small_body_only():
    status, _body, read = await post("/sign-in/", [b"x" * MB] * 3, content_length=3 * MB)
    assert (status, read) == (413, 0)


@pytest.mark.asyncio
async def test_the_413_page_is_in_the_readers_language():
    with translation.override("zh-hans"):
        expected = translation.gettext("Too large")
    _status, body, _read = await post("/sign-in/", [b"x"], content_length=9 * MB)
    assert '<html lang="zh-hans">' in body and expected in body


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_upload_routes_take_what_their_files_need(settings):
    # A worker's message with photos: 5 MB passes the edge and Django reads it all (then refuses
    # this stranger's POST by its CSRF check); the same on a plain form is refused unread.
    status, _body, read = await post("/cases/1/message/", [b"x" * MB] * 5, content_length=5 * MB)
    assert (status, read) == (403, 5)
    over = settings.ANXIN_MAX_REQUEST_BYTES + 1
    status, _body, read = await post("/cases/1/message/", [b"x"], content_length=over)
    assert (status, read) == (413, 0)
    await sync_to_async(connections.close_all)()


# --- WebSocket origins ---------------------------------------------------------------------


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def handshake(user, *, origin: bytes, host: bytes = b"localhost:8000") -> bool:
    cookie = await sync_to_async(session_cookie)(user)
    headers = [(b"origin", origin), (b"host", host), (b"cookie", cookie)]
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _code = await communicator.connect()
    if connected:
        await communicator.disconnect()
    return connected


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_websocket_from_another_port_of_an_allowed_host_is_refused(settings):
    user = (await sync_to_async(make_org)()).a.coordinator
    assert await handshake(user, origin=b"http://localhost:8000")
    assert not await handshake(user, origin=b"http://localhost:9999")
    assert not await handshake(user, origin=b"https://localhost:8000")
    assert not await handshake(user, origin=b"http://127.0.0.1:9999", host=b"127.0.0.1:8000")
    assert not await handshake(user, origin=b"null")
    await sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_with_trusted_origins_only_those_exact_origins_may_open_a_socket(settings):
    settings.ALLOWED_HOSTS = ["anxin.example.gov.cn"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://anxin.example.gov.cn"]
    user = (await sync_to_async(make_org)()).a.coordinator
    host = b"anxin.example.gov.cn"
    assert await handshake(user, origin=b"https://anxin.example.gov.cn", host=host)
    assert await handshake(user, origin=b"https://anxin.example.gov.cn:443", host=host)
    assert not await handshake(user, origin=b"https://anxin.example.gov.cn:8443", host=host)
    assert not await handshake(user, origin=b"http://anxin.example.gov.cn", host=host)
    await sync_to_async(connections.close_all)()
