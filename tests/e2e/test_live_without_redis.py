"""Redis down: a signed-in page opens its socket, learns that live updates are off, and falls
back to asking the inbox, without showing anything alarming."""

import pytest
from channels.layers import channel_layers
from playwright.sync_api import expect

from casework.core.roles import Role
from casework.organisation.choices import TeamKind
from tests.e2e.steps import staff_signs_in
from tests.factories.organisation import make_staff, make_street, make_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_down(settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},  # nothing listens there
        }
    }
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


def test_the_queue_page_polls_the_inbox_quietly_when_redis_is_down(
    asgi_server, desktop_page, redis_down
):
    street = make_street("西兴街道")
    make_staff(
        role=Role.COORDINATOR,
        team=make_team(unit=street, kind=TeamKind.SERVICE_STATION),
        username="li.ming",
    )
    page = desktop_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    staff_signs_in(page, asgi_server, "li.ming")
    page.goto(asgi_server + "/work/")
    expect(page.locator("body")).to_have_attribute("data-live", "polling", timeout=5000)
    expect(page.locator("#toasts")).to_be_empty()
    assert not errors
