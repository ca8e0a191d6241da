"""When PostgreSQL or Redis is down: probes tell, requests fail fast with a plain page."""

import asyncio
import logging
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.db import connections
from django.test import Client
from django.utils import translation

from config.asgi import application
from tests.factories.organisation import make_staff

ROOT = Path(__file__).resolve().parent.parent.parent


@contextmanager
def silent_server():
    """A TCP port that accepts connections and never answers (a hung PostgreSQL or Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


@contextmanager
def database_down():
    """The default database cannot be opened, for this thread and every other."""
    connection = connections["default"]
    connection.close()
    name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = "/nonexistent-anxin-dir/down.sqlite3"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name


async def get(path):
    sent = []

    async def receive():
        await asyncio.Future()

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        # A load balancer asks on the worker's own address: no allowed host.
        "headers": [(b"host", b"10.0.0.7:8000")],
        "client": ("10.0.0.1", 5000),
        "server": ("10.0.0.7", 8000),
    }
    await asyncio.wait_for(application(scope, receive, send), 10)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body.decode()


@pytest.mark.asyncio
async def test_healthz_answers_while_the_process_runs_without_touching_the_database():
    # No django_db mark: any database access here would fail the test.
    assert await get("/healthz") == (200, "ok\n")


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_readyz_answers_200_when_the_database_answers():
    assert await get("/readyz") == (200, "ready\n")


@pytest.mark.django_db(transaction=True)
def test_readyz_answers_503_when_the_database_is_down():
    with database_down():
        status, body = async_to_sync(get)("/readyz")
    assert (status, body) == (503, "not ready: database\n")


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_readyz_answers_503_within_a_second_or_so_when_redis_hangs(settings, caplog):
    with silent_server() as port:
        settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="config.edge"):
            answers = [await get("/readyz") for _ in range(3)]
        elapsed = time.monotonic() - started
    assert answers == [(503, "not ready: redis\n")] * 3
    assert elapsed < 3 * 1.5
    assert len([r for r in caplog.records if "Not ready" in r.message]) == 1, "logged once"


@pytest.mark.django_db(transaction=True)
def test_a_page_while_the_database_is_down_is_a_plain_503():
    client = Client(raise_request_exception=False)
    client.force_login(make_staff())
    with database_down(), translation.override("en"):
        response = client.get("/work/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert b"Temporarily unavailable" in response.content


def test_a_postgresql_that_does_not_answer_fails_a_connection_within_seconds():
    script = (
        "import django, time; django.setup()\n"
        "from django.db import connection, OperationalError\n"
        "started = time.monotonic()\n"
        "try:\n    connection.ensure_connection()\n"
        "except OperationalError as exc:\n    print(type(exc).__name__)\n"
        "print(round(time.monotonic() - started, 1))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ANXIN_"))}
    with silent_server() as port:
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_SECRET_KEY="s" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz",
            DATABASE_URL=f"postgres://anxin@127.0.0.1:{port}/anxin",
            ANXIN_SIGNING_LOCAL_CA="1",
        )
        result = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    kind, seconds = result.stdout.split()
    assert kind == "OperationalError" and float(seconds) < 5, result.stderr
