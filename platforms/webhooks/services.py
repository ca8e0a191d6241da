"""Writes of the webhooks pages: register, switch off and on, delete, rotate the secret, send
a test, replay a delivery. Each checks that the actor answers for the endpoint's company
(404 otherwise) and refuses bad data with ActionRefused naming the field."""

from datetime import timedelta
from uuid import uuid4

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused
from platforms.models import Company
from platforms.portal.access import represented_company_ids
from platforms.webhooks.access import delivery_for, endpoint_for
from platforms.webhooks.addresses import check_url
from platforms.webhooks.choices import PING, DeliveryStatus, EventType
from platforms.webhooks.models import Delivery, Endpoint, Event
from platforms.webhooks.payloads import event_body
from platforms.webhooks.signing import new_secret
from platforms.webhooks.tasks import queue_deliveries

MAX_ENDPOINTS_PER_COMPANY = 10
PREVIOUS_SECRET_VALID_FOR = timedelta(hours=24)
PING_INTERVAL = timedelta(seconds=10)


def _company_id(actor, company_id) -> int:
    companies = represented_company_ids(actor)
    try:
        company_id = int(company_id)
    except (TypeError, ValueError, OverflowError):
        company_id = None
    if company_id not in companies:
        raise ActionRefused(_("Choose one of the companies you answer for."), field="company")
    return company_id


def _events(events) -> list[str]:
    chosen = [e for e in EventType.values if e in set(events or [])]
    if not chosen or len(chosen) != len(set(events)):
        raise ActionRefused(_("Choose at least one event."), field="events")
    return chosen


def endpoint_create(
    *, actor, company_id, url: str, events: list[str], description: str = ""
) -> tuple[Endpoint, str]:
    """Register an endpoint. Returns it and its signing secret, which is shown this once."""
    company_id = _company_id(actor, company_id)
    parts = check_url(url)
    events = _events(events)
    with transaction.atomic():
        # The company's row is the lock: two registrations at once are checked one after the
        # other (the limit and the duplicate address hold).
        Company.objects.select_for_update().get(pk=company_id)
        existing = list(Endpoint.objects.filter(company_id=company_id))
        if len(existing) >= MAX_ENDPOINTS_PER_COMPANY:
            raise ActionRefused(
                _("A company can register at most %(n)d endpoints.")
                % {"n": MAX_ENDPOINTS_PER_COMPANY}
            )
        if any(endpoint.url == parts.geturl() for endpoint in existing):
            raise ActionRefused(_("This address is already registered."), field="url")
        secret = new_secret()
        endpoint = Endpoint(
            company_id=company_id,
            url=parts.geturl(),
            events=events,
            description=description.strip()[:200],
            secret=secret,
            created_by=actor,
        )
        endpoint._history_user = actor
        endpoint.save()
    return endpoint, secret


def endpoint_set_active(*, actor, endpoint_id, active: bool) -> Endpoint:
    """Switch an endpoint off (its waiting deliveries are given up; they can be replayed when
    it is on again) or back on."""
    with transaction.atomic():
        endpoint = endpoint_for(actor, endpoint_id, lock=True)
        if endpoint.is_active == active:
            raise ActionRefused(
                _("The endpoint is already on.") if active else _("The endpoint is already off.")
            )
        endpoint.is_active = active
        endpoint._history_user = actor
        endpoint.save(update_fields=["is_active"])
        if not active:
            endpoint.deliveries.filter(
                status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]
            ).update(status=DeliveryStatus.FAILED, next_attempt_at=None, replay_requested=False)
    return endpoint


def endpoint_delete(*, actor, endpoint_id) -> None:
    """Delete an endpoint with its delivery log."""
    with transaction.atomic():
        endpoint = endpoint_for(actor, endpoint_id, lock=True)
        endpoint._history_user = actor
        endpoint.delete()


def endpoint_rotate_secret(*, actor, endpoint_id) -> tuple[Endpoint, str]:
    """A new signing secret, shown this once; the previous one still signs for a day."""
    with transaction.atomic():
        endpoint = endpoint_for(actor, endpoint_id, lock=True)
        secret = new_secret()
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_until = timezone.now() + PREVIOUS_SECRET_VALID_FOR
        endpoint.secret = secret
        endpoint._history_user = actor
        endpoint._change_reason = "secret rotated"
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return endpoint, secret


def endpoint_ping(*, actor, endpoint_id) -> Delivery:
    """Send a "ping" event to this endpoint only (no case in it)."""
    with transaction.atomic():
        endpoint = endpoint_for(actor, endpoint_id, lock=True)
        if not endpoint.is_active:
            raise ActionRefused(_("Switch the endpoint on first."))
        uid, now = uuid4(), timezone.now()
        # Under the endpoint's lock: a double click (or a script) sends one test, not many.
        if endpoint.deliveries.filter(
            event__type=PING, created_at__gt=now - PING_INTERVAL
        ).exists():
            raise ActionRefused(_("A test was sent moments ago: wait a few seconds."))
        body = event_body(
            uid=uid,
            event_type=PING,
            created=now,
            data={"endpoint": {"id": endpoint.pk, "company": str(endpoint.company)}},
        )
        event = Event.objects.create(uid=uid, type=PING, body=body)
        delivery = Delivery.objects.create(endpoint=endpoint, event=event, next_attempt_at=now)
        queue_deliveries([delivery.pk])
    return delivery


def delivery_replay(*, actor, endpoint_id, delivery_id) -> Delivery:
    """Send a delivery again, whatever became of it: the same event, signed anew, recorded as
    a new attempt. Asked twice before it left, the second is refused."""
    with transaction.atomic():
        endpoint = endpoint_for(actor, endpoint_id, lock=True)
        if not endpoint.is_active:
            raise ActionRefused(_("Switch the endpoint on first."))
        delivery = delivery_for(actor, endpoint_id, delivery_id, lock=True)
        if delivery.replay_requested:
            raise ActionRefused(_("This delivery is already waiting to be sent again."))
        delivery.replay_requested = True
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["replay_requested", "status", "next_attempt_at"])
        queue_deliveries([delivery.pk])
    return delivery
