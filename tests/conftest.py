import pytest

from casework.organisation import sms


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: a running Playwright loop breaks async tests after it."""
    items.sort(key=lambda item: "/tests/e2e/" in str(item.path).replace("\\", "/"))


@pytest.fixture(autouse=True)
def sms_outbox():
    """The in-memory SMS outbox, emptied around every test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the queue caches its filter options)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Chinese), whatever an earlier one activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
