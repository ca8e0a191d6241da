"""Shared fixtures, and the test clock (tests/clock.py says how a test sets it)."""

import pytest
import time_machine

from casework.organisation import sms
from tests.clock import Clock, beijing

_PRETEND = pytest.StashKey[tuple]()


@pytest.fixture(scope="session", autouse=True)
def signing_ca(tmp_path_factory):
    """Documents are signed with a throwaway certificate authority made for this test run
    (never the one `make run` keeps under var/signing/)."""
    from django.conf import settings

    from mediation.documents.local_ca import create_local_ca

    files = create_local_ca(tmp_path_factory.mktemp("signing"))
    names = ("ANXIN_SIGNING_KEY", "ANXIN_SIGNING_CERT", "ANXIN_SIGNING_CHAIN")
    before = {name: getattr(settings, name) for name in names}
    settings.ANXIN_SIGNING_KEY = str(files.key)
    settings.ANXIN_SIGNING_CERT = str(files.cert)
    settings.ANXIN_SIGNING_CHAIN = [str(path) for path in files.chain]
    yield files
    for name, value in before.items():
        setattr(settings, name, value)


@pytest.fixture
def now_is(request, time_machine):
    """Set the test's clock: `now_is(when, hour=9, minute=0, tick=True)` (tests/clock.py).
    The `now` marker of the test, its class or its module, if any, has set it already."""
    clock = Clock(time_machine)
    marker = request.node.get_closest_marker("now")
    if marker is not None:
        clock(*marker.args, **marker.kwargs)
    return clock


def pytest_addoption(parser):
    parser.addoption(
        "--pretend-now",
        metavar="ISO",
        help="run as if the clock showed this moment (a date alone: 09:00; no offset: Beijing "
        "time), ticking from there; only the tests that do not set the clock run.",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "now(when, hour=9, minute=0, tick=True): set the clock (tests/clock.py)"
    )
    when = config.getoption("--pretend-now")
    if when:
        try:
            moment = beijing(when)
        except ValueError:
            raise pytest.UsageError(f"--pretend-now: {when!r} is not an ISO date or time") from None
        # From here on, before collection and the test database: module-level code and the
        # migrations see the moment too.
        travel = time_machine.travel(moment, tick=True)
        travel.start()
        config.stash[_PRETEND] = (moment, travel)


def pytest_unconfigure(config):
    moment_and_travel = config.stash.get(_PRETEND, None)
    if moment_and_travel is not None:
        moment_and_travel[1].stop()


def pytest_report_header(config):
    moment_and_travel = config.stash.get(_PRETEND, None)
    if moment_and_travel is not None:
        moment = moment_and_travel[0].isoformat()
        return f"pretending it is {moment}: running the tests that do not set the clock"
    return None


def _is_browser_test(item) -> bool:
    return "/tests/e2e/" in str(item.path).replace("\\", "/")


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: a running Playwright loop breaks async tests after it.

    Tests with the `now` marker get `now_is` first, before every other fixture.

    Under --pretend-now only the tests that do not set the clock run: a test with the `now`
    marker sees the same moments whatever the real date (running it again proves nothing),
    and browser tests cannot move the clock (Chromium expires cookies by the real one).
    """
    items.sort(key=_is_browser_test)
    pretending = config.stash.get(_PRETEND, None) is not None
    kept, deselected = [], []
    for item in items:
        pinned = item.get_closest_marker("now") is not None
        if pinned:
            names = item.fixturenames
            if "now_is" in names:
                names.remove("now_is")
            names.insert(0, "now_is")
        if pretending and (pinned or _is_browser_test(item)):
            deselected.append(item)
        else:
            kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def sms_outbox():
    """The in-memory SMS outbox, emptied around every test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, no queue filter options or SQL kept, and no
    signed-in user kept in memory (a rolled-back test's ids come back on SQLite)."""
    from django.core.cache import cache

    from casework.core.memo import forget_all

    kept = (cache.clear, forget_all)
    for forget in kept:
        forget()
    yield
    for forget in kept:
        forget()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Chinese), whatever an earlier one activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
