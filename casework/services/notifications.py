from django.utils import timezone

from casework.models import Notification, User


def notification_mark_read(*, actor: User, notification_id: int) -> int:
    """Mark one of the actor's notifications read (someone else's id changes nothing)."""
    return Notification.objects.filter(
        recipient=actor, pk=notification_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
