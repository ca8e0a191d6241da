"""Reads of the employer registry, for the people who keep it."""

from django.db.models import Count, Q, QuerySet

from casework.core.errors import NotFound
from platforms.models import Company, Invitation
from platforms.registry.access import may_manage_registry

PAGE_SIZE = 50


def company_list_for_user(*, user, search: str = "", kind: str = "") -> QuerySet[Company]:
    """Companies, each with its parent and its number of representatives. Raises NotFound
    for anyone who does not keep the registry (the page does not exist for them)."""
    if not may_manage_registry(user):
        raise NotFound
    companies = Company.objects.select_related("parent").annotate(
        representative_count=Count("representatives", distinct=True)
    )
    if search:
        companies = companies.filter(
            Q(name__icontains=search)
            | Q(short_name__icontains=search)
            | Q(credit_code__iexact=search.upper())
        )
    if kind:
        companies = companies.filter(kind=kind)
    return companies.order_by("kind", "name", "pk")


def company_get_for_user(*, user, company_id) -> Company:
    if not may_manage_registry(user):
        raise NotFound
    try:
        return Company.objects.select_related("parent").get(pk=company_id)
    except (Company.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc


def company_chain_below(company: Company) -> list[Company]:
    """The companies under `company`, each once, nearest first."""
    below, frontier, seen = [], [company.pk], {company.pk}
    while frontier:
        children = list(Company.objects.filter(parent_id__in=frontier).order_by("name", "pk"))
        frontier = [child.pk for child in children if child.pk not in seen]
        seen.update(frontier)
        below.extend(child for child in children if child.pk in frontier)
    return below


def company_people(company: Company) -> dict:
    """Its representatives and its invitations, newest first."""
    return {
        "representatives": list(
            company.representatives.select_related("user").order_by("user__display_name")
        ),
        "invitations": list(
            Invitation.objects.filter(company=company)
            .select_related("invited_by", "accepted_by")
            .order_by("-created_at")[:20]
        ),
    }
