"""`/ws/notifications/`: a signed-in user's live channel.

Joins `user.<id>` on connect. The page may then subscribe to one case it shows (`case.<id>`,
checked against what the user may see) and to the queues of the user's teams and streets.
Anonymous users are refused; the origin is checked by AllowedHostsOriginValidator (asgi.py).
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import close_old_connections

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


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        self.joined: set[str] = set()
        if user is None or not user.is_authenticated:
            await self.close()  # before accept: the handshake is rejected (HTTP 403)
            return
        await self._join(f"user.{user.pk}")
        await self.accept()

    async def _join(self, group: str) -> None:
        if group not in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
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
            await self.channel_layer.group_discard(group, self.channel_name)

    async def push(self, event):
        await self.send(text_data=event["text"])
