"""The task worker's side: each delivery is one task (django.tasks). A failed attempt is
retried with backoff: a backend that can defer (django-tasks-db in production) is given the
retry with `run_after`; the immediate backend cannot, so `manage.py webhooks_retry` (run it
every minute, like `sweep_deadlines`) queues every delivery whose time has come. Both may run:
a delivery is claimed under a row lock before it is sent, so it is sent once."""

from django.db import transaction
from django.tasks import task

from casework.core.outbound import send_on_commit
from platforms.webhooks.sending import delivery_attempt


@task()
def deliver_webhook(delivery_id: int) -> None:
    retry_at = delivery_attempt(delivery_id=delivery_id)
    if retry_at is not None and deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=retry_at).enqueue(delivery_id)


def queue_deliveries(delivery_ids: list[int]) -> None:
    """Hand deliveries to the task worker once the transaction commits."""

    def enqueue():
        # One commit for all (a database backend writes a row per task).
        with transaction.atomic():
            for delivery_id in delivery_ids:
                deliver_webhook.enqueue(delivery_id)

    if delivery_ids:
        send_on_commit(
            enqueue,
            kind="task",
            description=f"deliver {len(delivery_ids)} webhook(s)",
            payload={"deliveries": list(delivery_ids)},
        )
