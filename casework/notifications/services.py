"""Who hears what, and the one door through which it leaves.

`notify` writes Notification rows inside the caller's transaction; after commit it pushes a
hint to each recipient's channel group (`user.<id>`), and `case_changed` tells open case pages
(`case.<id>`) and queues (`queue.team.<id>`, `queue.unit.<id>`) to refresh. A failing channel
layer is logged and changes nothing: the inbox already has the rows (STACK-NOTES: the socket is
at-most-once, the inbox is the truth).
"""

import logging
from collections.abc import Iterable

from django.utils import timezone

from casework.cases.models import Case
from casework.core.errors import NotificationNotFound
from casework.core.kept_inserts import insert_rows
from casework.core.outbound import send_on_commit
from casework.notifications.models import Notification
from casework.notifications.push import push
from casework.notifications.rendering import sms_text
from casework.organisation import principal
from casework.organisation.models import User
from casework.organisation.sms import send_sms

logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    case: Case | None = None,
    params: dict | None = None,
    sms: bool = False,
    readers_are_its_team: bool = False,
) -> list[Notification]:
    """Write one notification per distinct recipient and push them after commit.

    `readers_are_its_team`: the recipients are members of the case's team (team_members),
    whom the case page lets in whatever their role: their links are made without working out
    each one's access scope (two queries each, after commit)."""
    rows = notify_many([(recipients, kind, case, params)], sms=sms)
    if readers_are_its_team:
        for row in rows:
            row.reader_is_its_team = True
    return rows


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
    rows = insert_rows(rows)
    principal.replace_tokens(inbox_user_ids=people)  # their unread badges
    push(rows=rows, people=people)
    if sms:
        for row in rows:
            user = people[row.recipient_id]
            if user.mobile:
                body = sms_text(row, user)
                send_on_commit(
                    lambda to=user.mobile, body=body: send_sms(to=to, body=body),
                    kind="sms",
                    description="status SMS",
                    payload={"to": user.mobile, "body": body},
                )
    return rows


def case_changed(case: Case, *, previous_team_id: int | None = None) -> None:
    """Tell open case pages and queues that `case` changed (after commit)."""
    groups = {f"case.{case.pk}", f"queue.team.{case.team_id}", f"queue.unit.{case.jurisdiction_id}"}
    if previous_team_id:
        groups.add(f"queue.team.{previous_team_id}")
    messages = [(group, {"type": "case", "case": case.pk}) for group in sorted(groups)]
    push(messages)


def cases_added(cases: list[Case]) -> None:
    """Tell the queues of many new cases (an import) once per team and place, not per case."""
    groups = set()
    for case in cases:
        groups |= {f"queue.team.{case.team_id}", f"queue.unit.{case.jurisdiction_id}"}
    push([(group, {"type": "case", "case": None}) for group in sorted(groups)])


# Who hears what ----------------------------------------------------------------------------


def notification_mark_read(*, actor: User, notification_id: int) -> int:
    """Mark one of the actor's notifications read. Someone else's (or no) notification:
    NotificationNotFound (a 404), and nothing changes. Sends (after commit): the new unread
    count to the actor's open pages."""
    try:
        mine = Notification.objects.filter(recipient=actor, pk=int(notification_id)).exists()
    except (ValueError, TypeError, OverflowError):
        mine = False
    if not mine:
        raise NotificationNotFound
    marked = Notification.objects.filter(
        recipient=actor, pk=notification_id, read_at__isnull=True
    ).update(read_at=timezone.now())
    if marked:
        principal.replace_tokens(inbox_user_ids=[actor.pk])
        _tell_unread(actor)
    return marked


def notification_mark_all_read(*, actor: User) -> int:
    """Mark all the actor's notifications read. Sends (after commit): the new unread count to
    the actor's open pages, whose badges follow it (hidden at 0)."""
    marked = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        principal.replace_tokens(inbox_user_ids=[actor.pk])
        _tell_unread(actor)
    return marked


def _tell_unread(user: User) -> None:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    push([(f"user.{user.pk}", {"type": "unread", "unread": unread})])
