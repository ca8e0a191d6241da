"""Redis down: the WebSocket still opens, says live updates are off, and the outage is logged
once, not per connection."""

import logging

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from casework.notifications import consumers
from config.asgi import application
from tests.factories.cases import make_org

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture(autouse=True)
def redis_down(settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},  # nothing listens there
        }
    }
    channel_layers.backends = {}
    consumers._LayerHealth.down = False
    yield
    channel_layers.backends = {}
    consumers._LayerHealth.down = False
    connections.close_all()


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def test_the_socket_opens_without_live_updates_and_the_outage_is_logged_once(caplog):
    user = (await sync_to_async(make_org)()).worker
    cookie = await sync_to_async(session_cookie)(user)
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost"), (b"cookie", cookie)]
    with caplog.at_level(logging.WARNING, logger="casework.notifications.consumers"):
        for _ in range(3):
            communicator = WebsocketCommunicator(application, "/ws/notifications/", headers)
            connected, _code = await communicator.connect(timeout=5)
            assert connected, "the handshake succeeds (it answered 500)"
            assert await communicator.receive_json_from(timeout=3) == {
                "type": "live",
                "state": "off",
            }
            await communicator.send_json_to({"subscribe": "queue"})
            assert (await communicator.receive_json_from(timeout=3))["type"] == "subscribed"
            await communicator.disconnect()
    outages = [r for r in caplog.records if "Live updates are off" in r.getMessage()]
    assert len(outages) == 1
