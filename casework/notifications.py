"""Who hears what, and the one door through which it leaves.

`notify` writes Notification rows inside the caller's transaction; after commit it pushes a
hint to each recipient's channel group (`user.<id>`), and `case_changed` tells open case pages
(`case.<id>`) and queues (`queue.team.<id>`, `queue.unit.<id>`) to refresh. A failing channel
layer is logged and changes nothing: the inbox already has the rows (STACK-NOTES: the socket is
at-most-once, the inbox is the truth).
"""

import asyncio
import json
import logging
import time
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.case_choices import CaseState, Category
from casework.choices import Role, TeamKind
from casework.models import Case, Membership, Notification, NotificationKind, User
from casework.outbound import send_on_commit
from casework.sms import send_sms

logger = logging.getLogger(__name__)

# Status changes a worker also gets by text message.
SMS_TRANSITIONS = {"accept", "start_mediation", "reach_agreement", "resolve"}


def render(notification: Notification) -> str:
    """The notification's text in the current language."""
    p = notification.params
    reference = p.get("reference", "")
    kind = notification.kind
    if kind == NotificationKind.NEW_CASE:
        return _("New case %(reference)s: %(category)s, %(place)s") % {
            "reference": reference,
            "category": Category(p["category"]).label if p.get("category") else "",
            "place": p.get("place", ""),
        }
    if kind == NotificationKind.STATUS_CHANGED:
        return _("Your case %(reference)s is now “%(state)s”.") % {
            "reference": reference,
            "state": CaseState(p["state"]).label if p.get("state") else "",
        }
    if kind == NotificationKind.ESCALATED:
        return _("Case %(reference)s was escalated to %(team)s: %(reason)s") % {
            "reference": reference,
            "team": p.get("team", ""),
            "reason": p.get("reason", ""),
        }
    if kind == NotificationKind.COLLECTIVE:
        return _("Collective case: %(n)s workers against %(employer)s") % {
            "n": p.get("workers", ""),
            "employer": p.get("employer", ""),
        }
    if kind == NotificationKind.RESPONSE_REQUESTED:
        return _("Please respond to complaint %(reference)s by %(due)s.") % {
            "reference": reference,
            "due": p.get("due", ""),
        }
    if kind == NotificationKind.DEADLINE_WARNING:
        return _("%(rule)s of case %(reference)s is due on %(due)s.") % {
            "rule": p.get("rule", ""),
            "reference": reference,
            "due": p.get("due", ""),
        }
    if kind == NotificationKind.MEDIATION_SCHEDULED:
        return _("Mediation for case %(reference)s: %(when)s, %(place)s.") % {
            "reference": reference,
            "when": p.get("when", ""),
            "place": p.get("place") or _("online"),
        }
    return _("Case %(reference)s needs your attention.") % {"reference": reference}


def render_for(notification: Notification, user: User) -> str:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return render(notification)


def _payload(notification: Notification, user: User) -> dict:
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "case": notification.case_id,
        "url": reverse("casework:case_detail", args=[notification.case_id])
        if notification.case_id
        else reverse("casework:inbox"),
        "text": render_for(notification, user),
    }


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
    if failures:  # send_on_commit logs it; the inbox rows are already written
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


class _PushBuffer:
    """The pushes of one transaction, sent together after it commits: one event loop and one
    set of Redis connections, rather than one per message (the sweep sends thousands).

    Notifications are rendered at flush, so a person getting many is told once; queue hints
    ("something in this queue changed") are sent once per queue."""

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
                pushes.extend((f"user.{user.pk}", _payload(row, user)) for row in rows)
        queue_hints = set()
        for group, message in messages:
            if group.startswith("queue."):
                if group in queue_hints:
                    continue
                queue_hints.add(group)
            pushes.append((group, message))
        if pushes:
            async_to_sync(_send_all)(pushes)


def _push(messages=(), *, rows=(), people=None) -> None:
    """Queue pushes (and notification rows) for after the current transaction commits."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        buffer = _PushBuffer()
        buffer.add(messages, rows, people)
        send_on_commit(buffer.flush, description="live push")  # autocommit: runs now
        return
    # One buffer per transaction: reuse it while its callback is still waiting for the commit
    # (a rollback discards the callback, and with it the buffer).
    buffer = getattr(connection, "_anxin_push_buffer", None)
    pending = [func for _sids, func, _robust in connection.run_on_commit]
    if buffer is None or not any(func is buffer.registered for func in pending):
        buffer = _PushBuffer()
        buffer.registered = send_on_commit(buffer.flush, description="live pushes")
        connection._anxin_push_buffer = buffer
    buffer.add(messages, rows, people)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    case: Case | None = None,
    params: dict | None = None,
    sms: bool = False,
) -> list[Notification]:
    """Write one notification per distinct recipient and push them after commit."""
    return notify_many([(recipients, kind, case, params)], sms=sms)


def notify_many(items, *, sms: bool = False) -> list[Notification]:
    """Several notifications in one INSERT and one push (the sweep warns thousands at once).

    `items`: (recipients, kind, case, params) tuples."""
    rows, people = [], {}
    for recipients, kind, case, params in items:
        params = {"reference": case.reference if case else "", **(params or {})}
        for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
            people[user.pk] = user
            rows.append(Notification(recipient_id=user.pk, kind=kind, case=case, params=params))
    if not rows:
        return []
    rows = Notification.objects.bulk_create(rows)
    _push(rows=rows, people=people)
    if sms:
        for row in rows:
            user = people[row.recipient_id]
            if user.mobile:
                text = render_for(row, user)
                send_on_commit(
                    lambda to=user.mobile, body=text: send_sms(to=to, body=f"【安薪】{body}"),
                    description="status SMS",
                )
    return rows


def case_changed(case: Case, *, previous_team_id: int | None = None) -> None:
    """Tell open case pages and queues that `case` changed (after commit)."""
    groups = {f"case.{case.pk}", f"queue.team.{case.team_id}", f"queue.unit.{case.jurisdiction_id}"}
    if previous_team_id:
        groups.add(f"queue.team.{previous_team_id}")
    messages = [(group, {"type": "case", "case": case.pk}) for group in sorted(groups)]
    _push(messages)


# Who hears what ----------------------------------------------------------------------------


def team_members(team_id: int) -> list[User]:
    return list(User.objects.filter(memberships__team_id=team_id, is_active=True).distinct())


def supervisors_over(case: Case, *, tier1_only: bool = False, scopes=None) -> list[User]:
    """Supervisors whose unit (or what their team covers) includes the case. Pass `scopes`
    (from supervisor_scopes) when asking for many cases at once."""
    units = {case.jurisdiction_id, case.team.unit_id}
    scopes = scopes if scopes is not None else supervisor_scopes(tier1_only)
    return [user for user, scope in scopes if units & scope]


def supervisor_scopes(tier1_only: bool) -> list[tuple[User, set[int]]]:
    """Each supervisor with the units they oversee, from one read of memberships and units."""
    from casework.access import unit_descendants

    memberships = Membership.objects.filter(role=Role.SUPERVISOR).select_related("team", "user")
    if tier1_only:
        memberships = memberships.filter(team__kind=TeamKind.UNIT_OFFICE)
    memberships = list(memberships.prefetch_related("team__covers"))
    if not memberships:
        return []
    roots = {m.pk: {m.team.unit_id, *(u.pk for u in m.team.covers.all())} for m in memberships}
    return [(m.user, unit_descendants(roots[m.pk])) for m in memberships]


def platform_representatives(case: Case) -> list[User]:
    company_ids = [p.company_id for p in case.parties.all() if p.company_id]
    return list(
        User.objects.filter(
            Q(representations__company_id__in=company_ids), is_active=True
        ).distinct()
    )


def deadline_audience(case: Case) -> list[User]:
    people = team_members(case.team_id)
    if case.assignee_id:
        people.append(case.assignee)
    return people
