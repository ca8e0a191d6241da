"""Reads of the webhooks pages, for a representative (404 for anyone else's endpoints)."""

from django.db.models import Prefetch, QuerySet

from platforms.models import Company
from platforms.portal.access import represented_company_ids
from platforms.webhooks.access import endpoint_for, endpoints_of
from platforms.webhooks.models import Attempt, Delivery, Endpoint

PAGE_SIZE = 25


def endpoint_list(*, user) -> QuerySet[Endpoint]:
    return endpoints_of(user).select_related("company").order_by("company__name", "-pk")


def endpoint_companies(*, user) -> list[Company]:
    """The companies a representative may register an endpoint for."""
    return list(Company.objects.filter(pk__in=represented_company_ids(user)).order_by("name"))


def endpoint_get(*, user, endpoint_id) -> Endpoint:
    return endpoint_for(user, endpoint_id)


def delivery_list(*, user, endpoint: Endpoint) -> QuerySet[Delivery]:
    """The delivery log of an endpoint, newest first, each with its attempts (newest first)."""
    endpoint_for(user, endpoint.pk)  # the caller's endpoint must be the user's
    return (
        Delivery.objects.filter(endpoint=endpoint)
        .select_related("event", "event__case")
        .prefetch_related(Prefetch("tries", queryset=Attempt.objects.order_by("-number", "-pk")))
        .order_by("-created_at", "-pk")
    )
