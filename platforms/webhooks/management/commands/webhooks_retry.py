"""Queue the webhook deliveries whose next attempt is due. Run it every minute (next to
sweep_deadlines): with the immediate task backend it is what makes retries happen at all; with
a worker that defers tasks it catches deliveries whose worker died mid-send."""

from django.core.management.base import BaseCommand

from platforms.webhooks.retries import queue_due_deliveries


class Command(BaseCommand):
    help = "Queue webhook deliveries whose next attempt is due (retries with backoff)."

    def handle(self, *args, **options):
        queued = queue_due_deliveries()
        self.stdout.write(f"queued {queued} webhook deliveries")
