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

from channels.consumer import get_handler_name
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


# Groups that many sockets of one process share (an open case page, a queue): the process joins
# each once and hands every message to its own sockets. Per socket, channels' receive machinery
# (a task, a lock and a wait per message) cost several times the send itself: 1,000 sockets on
# one case page spent most of two workers' CPU there. A person's own group stays per socket.
SHARED_GROUPS = ("case.", "queue.")


class _Hub:
    """This process's (this event loop's) share of the shared groups: one channel-layer channel
    and one reader per group, and the sockets that joined it here. A socket is in a group only
    after the consumer let it join (the case check on subscribe), as before."""

    def __init__(self, layer, loop):
        self.layer, self.loop = layer, loop
        self.members: dict[str, set[NotificationConsumer]] = {}
        self.readers: dict[str, tuple[str, asyncio.Task]] = {}
        self.lock = asyncio.Lock()

    @classmethod
    def of(cls, layer) -> "_Hub":
        loop = asyncio.get_running_loop()
        hub = getattr(layer, "_anxin_hub", None)
        if hub is None or hub.loop is not loop:
            hub = layer._anxin_hub = cls(layer, loop)
        return hub

    async def join(self, group: str, consumer: "NotificationConsumer") -> None:
        async with self.lock:
            if group not in self.readers:
                channel = await self.layer.new_channel()
                await asyncio.wait_for(self.layer.group_add(group, channel), LAYER_TIMEOUT)
                reader = asyncio.create_task(self._read(group, channel))
                self.readers[group] = (channel, reader)
            self.members.setdefault(group, set()).add(consumer)

    async def leave(self, group: str, consumer: "NotificationConsumer") -> None:
        async with self.lock:
            members = self.members.get(group, set())
            members.discard(consumer)
            if members or group not in self.readers:
                return
            del self.members[group]
            channel, reader = self.readers.pop(group)
            reader.cancel()
            await asyncio.wait_for(self.layer.group_discard(group, channel), LAYER_TIMEOUT)

    async def _read(self, group: str, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except LAYER_DOWN as exc:
                for consumer in list(self.members.get(group, ())):
                    await consumer._layer_failed(exc)
                await asyncio.sleep(LAYER_RETRY_SECONDS)
                continue
            _LayerHealth.answered()
            if message.get("type") != "push":
                continue
            for consumer in list(self.members.get(group, ())):
                try:
                    await consumer.push(message)
                except Exception:  # one socket's failure must not silence the group
                    logger.exception("Live push to one socket of %s failed", group)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    live = True
    closed = False

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
                if group.startswith(SHARED_GROUPS):
                    await _Hub.of(self.channel_layer).join(group, self)
                else:
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

    async def dispatch(self, message):
        """As channels dispatches, without its `aclose_old_connections()` before every handler:
        that is a hop to the one thread-sensitive executor thread per message and socket, which
        serialised a 500-socket fan-out through one thread (most of a worker's CPU). What here
        reads the database does it through `database_sync_to_async`, which closes old
        connections itself; a push carries its text and reads nothing."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code):
        self.closed = True
        for group in getattr(self, "joined", ()):
            try:
                if group.startswith(SHARED_GROUPS):
                    await _Hub.of(self.channel_layer).leave(group, self)
                    continue
                await asyncio.wait_for(
                    self.channel_layer.group_discard(group, self.channel_name), LAYER_TIMEOUT
                )
            except LAYER_DOWN:
                return  # the layer forgets the channel when its messages expire

    async def push(self, event):
        if self.closed:
            return
        try:
            await self.base_send({"type": "websocket.send", "text": event["text"]})
        except (OSError, RuntimeError):  # closed while the hub was handing out a message
            self.closed = True
