"""The retry sweep: every delivery whose next attempt is due goes back to the task worker."""

from django.utils import timezone

from platforms.webhooks.models import Delivery
from platforms.webhooks.sending import OPEN
from platforms.webhooks.tasks import queue_deliveries


def queue_due_deliveries(*, now=None, limit: int = 5000) -> int:
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(status__in=OPEN, next_attempt_at__lte=now, endpoint__is_active=True)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    queue_deliveries(due)
    return len(due)
