"""`/ws/notifications/`: a signed-in user's live channel.

Joins `user.<id>` on connect. The page may then subscribe to one case it shows (`case.<id>`,
checked against what the user may see) and to the queues of the user's teams and streets.
Anonymous users are refused; the origin is checked by config.edge.StrictOriginValidator.

When the channel layer (Redis) is down, the socket still opens and says `{"type": "live",
"state": "off"}`: the page then asks the inbox every minute instead. The outage is logged once,
and the consumer tries the layer again now and then.
"""

import asyncio
import functools
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import close_old_connections
from redis.exceptions import RedisError

from casework.cases.models import Case
from casework.core.access import visible_cases_q
from casework.organisation.access import scope_for


@database_sync_to_async
def _can_see_case(user, case_id) -> bool:
    close_old_connections()
    try:
        return Case.objects.filter(visible_cases_q(scope_for(user)), pk=int(case_id)).exists()
    except (TypeError, ValueError, OverflowError):
        return False


@database_sync_to_async
def _queue_groups(user) -> list[str]:
    close_old_connections()
    scope = scope_for(user)
    teams = set(scope.team_roles)
    units = set(scope.covered_roles) | set(scope.supervised_unit_ids)
    return [f"queue.team.{pk}" for pk in sorted(teams)] + [
        f"queue.unit.{pk}" for pk in sorted(units)
    ]


logger = logging.getLogger(__name__)

# What a channel layer that cannot reach Redis raises.
LAYER_DOWN = (RedisError, OSError, asyncio.TimeoutError)
LAYER_RETRY_SECONDS = 60
LAYER_TIMEOUT = 2  # seconds a handshake waits for the layer before going on without it


class _LayerHealth:
    """Whether the channel layer answered last time, so that an outage is logged once."""

    down = False

    @classmethod
    def failed(cls, exc: BaseException) -> None:
        if not cls.down:
            cls.down = True
            logger.warning("Live updates are off: the channel layer does not answer (%s)", exc)

    @classmethod
    def answered(cls) -> None:
        if cls.down:
            cls.down = False
            logger.warning("Live updates are back: the channel layer answers again")


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    live = True

    @property
    def channel_receive(self):
        return self._channel_receive

    @channel_receive.setter
    def channel_receive(self, receive):
        # Set by channels for the layer's receive loop: an outage must not end the socket.
        self._channel_receive = functools.partial(self._receive_from_layer, receive)

    async def _receive_from_layer(self, receive):
        while True:
            try:
                message = await receive()
            except LAYER_DOWN as exc:
                await self._layer_failed(exc)
                await asyncio.sleep(LAYER_RETRY_SECONDS)
                continue
            _LayerHealth.answered()
            return message

    async def _layer_failed(self, exc: BaseException) -> None:
        _LayerHealth.failed(exc)
        if self.live and getattr(self, "accepted", False):
            await self.send_json({"type": "live", "state": "off"})
        self.live = False

    async def connect(self):
        user = self.scope.get("user")
        self.joined: set[str] = set()
        if user is None or not user.is_authenticated:
            await self.close()  # before accept: the handshake is rejected (HTTP 403)
            return
        await self._join(f"user.{user.pk}")
        await self.accept()
        self.accepted = True
        if not self.live:
            await self.send_json({"type": "live", "state": "off"})

    async def _join(self, group: str) -> None:
        if group not in self.joined:
            try:
                await asyncio.wait_for(
                    self.channel_layer.group_add(group, self.channel_name), LAYER_TIMEOUT
                )
            except LAYER_DOWN as exc:
                await self._layer_failed(exc)
                return
            self.joined.add(group)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        user = self.scope["user"]
        if content.get("subscribe") == "case":
            if await _can_see_case(user, content.get("case")):
                await self._join(f"case.{int(content['case'])}")
                await self.send_json({"type": "subscribed", "case": int(content["case"])})
        elif content.get("subscribe") == "queue":
            for group in await _queue_groups(user):
                await self._join(group)
            await self.send_json({"type": "subscribed", "queue": True})

    async def disconnect(self, code):
        for group in getattr(self, "joined", ()):
            try:
                await asyncio.wait_for(
                    self.channel_layer.group_discard(group, self.channel_name), LAYER_TIMEOUT
                )
            except LAYER_DOWN:
                return  # the layer forgets the channel when its messages expire

    async def push(self, event):
        await self.send(text_data=event["text"])
