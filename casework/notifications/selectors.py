from casework.core.errors import NotificationNotFound
from casework.notifications.models import Notification
from casework.organisation.models import User


def notification_list_for_user(
    *, user: User, after: int = 0, limit: int = 100
) -> list[Notification]:
    rows = Notification.objects.filter(recipient=user)
    if after:
        rows = rows.filter(pk__gt=after)
    return list(rows.order_by("-id")[:limit])


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for_user(*, user: User, notification_id) -> Notification:
    """One of the user's own notifications; anyone else's (or none): NotificationNotFound."""
    try:
        return Notification.objects.get(recipient=user, pk=int(notification_id))
    except (Notification.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotificationNotFound from exc
