"""The live push: after commit, one message per channel group, coalesced per person and queue."""

import asyncio
import json
import os
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from casework.core.outbound import Batch, add_to_batch
from casework.notifications.models import Notification
from casework.notifications.rendering import notification_payload
from casework.organisation.models import User

# Groups sent to side by side. One group_send is a Redis round trip or two; the sweep pushes
# tens of thousands, one after the other that took seconds (issue 7).
PUSH_CONCURRENCY = 32


async def _send_all(messages: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    sent_at = time.time()
    texts_by_group: dict[str, list[str]] = {}
    for group, message in messages:
        message.setdefault("sent_at", sent_at)
        # Serialised once here, not once per socket of a 500-member group.
        texts_by_group.setdefault(group, []).append(json.dumps(message, ensure_ascii=False))
    slots = asyncio.Semaphore(PUSH_CONCURRENCY)

    async def send_group(group: str, texts: list[str]) -> None:
        async with slots:
            for text in texts:  # in order within a group
                await layer.group_send(group, {"type": "push", "text": text})

    outcomes = await asyncio.gather(
        *(send_group(group, texts) for group, texts in texts_by_group.items()),
        return_exceptions=True,
    )
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    if failures:  # the door logs it; the inbox rows are already written
        failures[0].add_note(f"{len(failures)} of {len(outcomes)} channel groups not reached")
        raise failures[0]


# Beyond this many notifications for one person in one transaction, one summary push rather
# than a toast each: the first sweep of a morning can warn a coordinator of hundreds of clocks.
TOASTS_PER_PUSH = 3


def _summary_payload(user: User, rows: list[Notification]) -> dict:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        text = ngettext(
            "%(count)d new notification: see your inbox.",
            "%(count)d new notifications: see your inbox.",
            len(rows),
        ) % {"count": len(rows)}
    return {
        "type": "notifications",
        "id": max(row.pk for row in rows),
        "count": len(rows),
        "url": reverse("casework:inbox"),
        "text": text,
    }


def _run_outside_event_loop(call, *args) -> None:
    """Sync code normally runs in a thread without an event loop (views under ASGI, consumers
    through database_sync_to_async, commands). A caller whose thread runs one (a test driving
    a browser) sends from a helper thread instead: async_to_sync refuses to run there."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        call(*args)
        return
    failure: list[BaseException] = []

    def run():
        try:
            call(*args)
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    helper = threading.Thread(target=run, name="anxin-push")
    helper.start()
    helper.join()
    if failure:
        raise failure[0]


# A layer that keeps connections (channels_redis) is sent to from one event loop that lives as
# long as the process, in a thread of its own: its connection pool is kept per loop, and a new
# loop per transaction (async_to_sync outside a server's loop: every command, task and test
# client request) connected to Redis, said hello and closed again each time, about a third of
# an intake's CPU. Other layers (in memory: one process) keep the loop of the caller.
PUSH_TIMEOUT_SECONDS = 30
_loop_guard = threading.Lock()
_push_loop: tuple[int, asyncio.AbstractEventLoop] | None = None


def _pooled(layer) -> bool:
    return type(layer).__module__.startswith("channels_redis")


def _long_lived_loop() -> asyncio.AbstractEventLoop:
    """The process's push loop, started on first use (and again in a forked child)."""
    global _push_loop
    with _loop_guard:
        if _push_loop is None or _push_loop[0] != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="anxin-push-loop", daemon=True).start()
            _push_loop = (os.getpid(), loop)
        return _push_loop[1]


def _send(pushes: list[tuple[str, dict]]) -> None:
    if _pooled(get_channel_layer()):
        sending = asyncio.run_coroutine_threadsafe(_send_all(pushes), _long_lived_loop())
        sending.result(timeout=PUSH_TIMEOUT_SECONDS)
    else:
        _run_outside_event_loop(async_to_sync(_send_all), pushes)


class _PushBuffer(Batch):
    """The pushes of one transaction, sent together after it commits: one event loop and one
    set of Redis connections, rather than one per message (the sweep sends thousands).

    Notifications are rendered at flush, so a person getting many is told once; queue hints
    ("something in this queue changed") are sent once per queue."""

    kind = "push"
    description = "live pushes"

    def __init__(self):
        self.messages: list[tuple[str, dict]] = []
        self.notifications: dict[int, tuple[User, list[Notification]]] = {}

    def add(self, messages, rows: list[Notification], people: dict[int, User] | None) -> None:
        self.messages.extend(messages)
        for row in rows:
            _user, queued = self.notifications.setdefault(
                row.recipient_id, (people[row.recipient_id], [])
            )
            queued.append(row)

    def payload(self) -> dict:
        return {
            "groups": [group for group, _message in self.messages],
            "notifications": [
                row.pk for _user, rows in self.notifications.values() for row in rows
            ],
        }

    def flush(self) -> None:
        messages, notifications = self.messages, self.notifications
        self.messages, self.notifications = [], {}
        if get_channel_layer() is None:
            return
        pushes = []
        for user, rows in notifications.values():
            if len(rows) > TOASTS_PER_PUSH:
                pushes.append((f"user.{user.pk}", _summary_payload(user, rows)))
            else:
                pushes.extend((f"user.{user.pk}", notification_payload(row, user)) for row in rows)
        queue_hints = set()
        for group, message in messages:
            if group.startswith("queue."):
                if group in queue_hints:
                    continue
                queue_hints.add(group)
            pushes.append((group, message))
        if pushes:
            _send(pushes)


def push(messages=(), *, rows=(), people=None) -> None:
    """Queue pushes (and notification rows) for after the current transaction commits."""
    add_to_batch("live-push", _PushBuffer, lambda buffer: buffer.add(messages, rows, people))
