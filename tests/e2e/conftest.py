"""Browser tests: Playwright's sync API drives Debian's Chromium against the live server.

Chromium comes from the system (apt-get install chromium), never from `playwright install`.
ANXIN_CHROMIUM overrides its path; ANXIN_REQUIRE_BROWSER=1 turns a missing browser into a
failure instead of a skip (CI sets it, so the suite cannot go green by skipping).
"""

import os
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is an e2e test (`-m "not e2e"` leaves them out)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("ANXIN_CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        message = f"Chromium not found at {executable}; install it with apt-get install chromium"
        if os.environ.get("ANXIN_REQUIRE_BROWSER") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; without this flag Django's ORM
    # (the tests building data, pytest-django flushing the database) raises
    # SynchronousOnlyOperation. It is set only while the browser lives, not at import: the flag
    # is process-wide and leaks into subprocesses (tests/test_deploy_check.py runs
    # `check --deploy`, which reports it as async.E001). E2E tests run last (tests/conftest.py).
    with pytest.MonkeyPatch.context() as env, sync_playwright() as p:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _page(browser, **context_options):
    context = browser.new_context(locale="zh-CN", **context_options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def phone_page(browser):
    """A page on a 390x844 touch phone, as most workers will see the site."""
    context, page = _page(
        browser,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
    )
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    """A page in a 1280x800 desktop window, as coordinators at a service station see the site."""
    context, page = _page(browser, viewport={"width": 1280, "height": 800})
    yield page
    context.close()


@pytest.fixture
def asgi_server(transactional_db):
    """The real ASGI application (HTTP and WebSockets) under uvicorn, in a thread of this
    process: it shares the test database (a file for SQLite) and the channel layer.
    pytest-django's live_server is WSGI and cannot upgrade WebSockets."""
    import socket
    import threading
    import time

    import uvicorn

    from config.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the ASGI server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
