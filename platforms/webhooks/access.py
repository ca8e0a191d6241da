"""Whose endpoints a representative manages: those of every company they answer for (their
own and those below it, as on the portal). Anyone else's answer 404."""

from casework.core.bounds import MAX_ID
from casework.core.errors import NotFound
from platforms.portal.access import represented_company_ids
from platforms.webhooks.models import Delivery, Endpoint


class EndpointNotFound(NotFound):
    """The endpoint does not exist or belongs to a company the user does not answer for."""


def _id(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise EndpointNotFound from exc
    if not 1 <= number <= MAX_ID:
        raise EndpointNotFound
    return number


def endpoints_of(user):
    return Endpoint.objects.filter(company_id__in=represented_company_ids(user))


def endpoint_for(user, endpoint_id, *, lock: bool = False) -> Endpoint:
    endpoints = endpoints_of(user)
    if lock:
        endpoints = endpoints.select_for_update(of=("self",))
    try:
        return endpoints.select_related("company").get(pk=_id(endpoint_id))
    except Endpoint.DoesNotExist as exc:
        raise EndpointNotFound from exc


def delivery_for(user, endpoint_id, delivery_id, *, lock: bool = False) -> Delivery:
    deliveries = Delivery.objects.filter(
        endpoint__in=endpoints_of(user), endpoint_id=_id(endpoint_id)
    )
    if lock:
        deliveries = deliveries.select_for_update(of=("self",))
    try:
        return deliveries.select_related("endpoint").get(pk=_id(delivery_id))
    except Delivery.DoesNotExist as exc:
        raise EndpointNotFound from exc
