"""The sweep's watch on upstream replies: the case's team hears when a work order's reply falls
due within two working days, and again when it is overdue. Once per order per stage (the row
keeps when its team was told); replies already sent are never warned."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework.channels.models import ReplyStatus, UpstreamOrder
from casework.clocks.work_calendar import load_calendar
from casework.core.audit_hook import rows_written
from casework.core.system import system_user
from casework.notifications.audiences import team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import notify_many
from casework.organisation.models import User

# Two working days leave time to draft, confirm and send the reply.
WARN_WORKING_DAYS = 2
BATCH = 500


@dataclass
class UpstreamSweepReport:
    due_soon: int = 0
    overdue: int = 0
    skipped: int = 0


def upstream_reply_sweep(*, now: datetime | None = None) -> UpstreamSweepReport:
    """Tell each case's team (and its assignee) about upstream replies due soon and overdue.
    Writes `due_warned_at` / `overdue_notified_at` on the orders and one notification per
    person and order. Idempotent and safe in several copies: rows are claimed with SKIP LOCKED
    and re-checked under the lock."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # On the official calendar: a reply due after a holiday is not "soon" on its eve.
    soon_until = load_calendar().add_working_days(today, WARN_WORKING_DAYS).day
    owed = ~Q(reply_status=ReplyStatus.SENT)
    stages = [
        (
            owed & Q(due_on__gte=today, due_on__lte=soon_until, due_warned_at__isnull=True),
            "due_warned_at",
            NotificationKind.UPSTREAM_REPLY_DUE,
        ),
        (
            owed & Q(due_on__lt=today, overdue_notified_at__isnull=True),
            "overdue_notified_at",
            NotificationKind.UPSTREAM_REPLY_OVERDUE,
        ),
    ]
    report = UpstreamSweepReport()
    for pending, mark, kind in stages:
        # Read the ids once (STACK-NOTES: re-querying the flag the sweep sets goes quadratic).
        ids = sorted(UpstreamOrder.objects.filter(pending).order_by().values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            _sweep_batch(ids[start : start + BATCH], pending, mark, kind, now, report)
    return report


def _sweep_batch(ids, pending: Q, mark: str, kind: str, now, report: UpstreamSweepReport) -> None:
    """One batch in a few statements: lock, one UPDATE, one INSERT each of history rows and
    notifications, one read of members per team."""
    with transaction.atomic():
        orders = list(
            UpstreamOrder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case", "case__assignee")
            .filter(pk__in=ids)
            .filter(pending)  # handled meanwhile by another sweep, or the reply was sent
            .order_by("pk")
        )
        # Held by another sweep, or handled (or replied to) since the ids were read.
        report.skipped += len(ids) - len(orders)
        if not orders:
            return
        # One plain UPDATE (every row gets the same value) and the history rows in one INSERT:
        # the order's history shows when its team was told.
        UpstreamOrder.objects.filter(pk__in=[o.pk for o in orders]).update(**{mark: now})
        actor = system_user()
        for order in orders:
            setattr(order, mark, now)
            order._history_user = actor
        rows_written(UpstreamOrder.history.bulk_history_create(orders, update=True))
        audiences: dict[int, list[User]] = {}
        notices = []
        for order in orders:
            case = order.case
            if case.team_id not in audiences:
                audiences[case.team_id] = team_members(case.team_id)
            notices.append(
                (
                    [*audiences[case.team_id], case.assignee],
                    kind,
                    case,
                    {
                        "channel": order.channel,
                        "upstream": order.reference,
                        "due": f"{order.due_on:%Y-%m-%d}",
                    },
                )
            )
        notify_many(notices)
        if kind == NotificationKind.UPSTREAM_REPLY_DUE:
            report.due_soon += len(orders)
        else:
            report.overdue += len(orders)
