"""One attempt at a delivery: claim it under a lock, check the address again, sign, send,
record what came back, and decide when to try again.

Retries back off: 1 minute, 5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours after the
attempts before, so the last automatic attempt is about 17.6 hours after the first, within a
day of the event; later ones only when a representative replays the delivery."""

import http.client
import ssl
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from platforms.webhooks.addresses import AddressRefused, resolve_for_delivery
from platforms.webhooks.choices import AttemptError, DeliveryStatus
from platforms.webhooks.models import Attempt, Delivery
from platforms.webhooks.signing import SIGNATURE_HEADER, signature_header
from platforms.webhooks.transport import Answer, post

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
RETRY_FOR = timedelta(days=1)
# A claimed attempt that never recorded its outcome (the worker died mid-send) is tried again
# by the retry sweep after this long.
CLAIM_LEASE = timedelta(minutes=2)
LOGGED_BODY_CHARS = 1000
OPEN = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


def next_attempt_after(*, attempts: int, created_at: datetime, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed attempts; None: give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    retry_at = now + BACKOFF[attempts - 1]
    return retry_at if retry_at <= created_at + RETRY_FOR else None


def _claim(delivery_id: int, now: datetime) -> tuple[Delivery, bool] | None:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint", "event")
            .filter(pk=delivery_id, status__in=OPEN, endpoint__is_active=True)
            .first()
        )
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return None
        replay = delivery.replay_requested
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + CLAIM_LEASE
        delivery.replay_requested = False
        delivery.save(
            update_fields=["attempts", "last_attempt_at", "next_attempt_at", "replay_requested"]
        )
    return delivery, replay


def _headers(delivery: Delivery, now: datetime) -> dict[str, str]:
    endpoint, event = delivery.endpoint, delivery.event
    keys = [endpoint.secret]
    if endpoint.previous_secret and (endpoint.previous_secret_until or now) > now:
        keys.append(endpoint.previous_secret)
    return {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: signature_header(keys, int(now.timestamp()), event.body),
        "Anxin-Event-Id": event.public_id,
        "Anxin-Event-Type": event.type,
        "Anxin-Delivery-Attempt": str(delivery.attempts),
    }


def _send(delivery: Delivery, now: datetime, ssl_context) -> tuple[Answer | None, str]:
    try:
        target = resolve_for_delivery(delivery.endpoint.url)
    except AddressRefused:
        return None, AttemptError.ADDRESS_REFUSED
    except (OSError, UnicodeError, ValueError):
        return None, AttemptError.NAME_NOT_FOUND
    body = delivery.event.body.encode()
    try:
        return post(target, body=body, headers=_headers(delivery, now), ssl_context=ssl_context), ""
    except TimeoutError:
        return None, AttemptError.TIMEOUT
    except ssl.SSLError:
        return None, AttemptError.TLS
    except OSError:
        return None, AttemptError.CONNECTION
    except http.client.HTTPException:
        return None, AttemptError.PROTOCOL


def delivery_attempt(*, delivery_id: int, ssl_context=None) -> datetime | None:
    """Make the next attempt of a delivery if it is due (else nothing). Records the attempt,
    marks the delivery delivered, retrying or failed. Returns when to try again, or None."""
    now = timezone.now()
    claimed = _claim(delivery_id, now)
    if claimed is None:
        return None
    delivery, replay = claimed
    answer, error = _send(delivery, now, ssl_context)
    ok = answer is not None and 200 <= answer.status < 300
    retry_at = None
    if not ok:
        retry_at = next_attempt_after(
            attempts=delivery.attempts, created_at=delivery.created_at, now=timezone.now()
        )
    with transaction.atomic():
        Attempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            at=now,
            status_code=answer.status if answer else None,
            duration_ms=answer.duration_ms if answer else 0,
            response_body=(answer.body if answer else "")[:LOGGED_BODY_CHARS],
            error=error,
            replay=replay,
        )
        if ok:
            status = DeliveryStatus.SUCCEEDED
        else:
            status = DeliveryStatus.RETRYING if retry_at else DeliveryStatus.FAILED
        # A replay asked for while this attempt was on its way is kept (it is sent next).
        Delivery.objects.filter(pk=delivery.pk, replay_requested=False).update(
            status=status, next_attempt_at=retry_at
        )
    return retry_at
