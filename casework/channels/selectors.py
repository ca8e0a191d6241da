"""What the channels' pages read, always through what the user may see."""

from django.db.models import QuerySet

from casework.cases.models import Case
from casework.channels.models import ReplyStatus, UpstreamOrder, UpstreamToken
from casework.core.access import visible_cases_q
from casework.core.errors import NotFound
from casework.core.roles import STAFF_ROLES, Role
from casework.organisation.access import scope_for
from casework.organisation.models import User

PAGE = 100


def orders_for_user(*, user: User, replies: str = "open") -> QuerySet[UpstreamOrder]:
    """Work orders of the cases the user may see: replies still owed (soonest due first), or
    every order (`replies="all"`)."""
    scope = scope_for(user)
    if not (scope.is_staff_member or scope.is_admin):
        return UpstreamOrder.objects.none()
    cases = Case.objects.filter(visible_cases_q(scope)).values("pk")
    rows = UpstreamOrder.objects.filter(case__in=cases).select_related("case")
    if replies != "all":
        rows = rows.exclude(reply_status=ReplyStatus.SENT)
    return rows.order_by("due_on", "pk")


def orders_for_case(*, user: User, case: Case) -> list[UpstreamOrder]:
    """The work orders of a case the page already let the user see (staff only)."""
    return list(UpstreamOrder.objects.filter(case=case).order_by("received_on", "pk"))


def order_get_for_user(*, user: User, order_id) -> UpstreamOrder:
    scope = scope_for(user)
    order = (
        UpstreamOrder.objects.select_related("case", "case__team", "reply_sent_by")
        .filter(pk=order_id, case__in=Case.objects.filter(visible_cases_q(scope)).values("pk"))
        .first()
    )
    if order is None:
        raise NotFound
    from casework.core.access import case_roles

    if not case_roles(scope, order.case) & (STAFF_ROLES | {Role.ADMIN}):
        raise NotFound
    return order


def tokens_for_user(*, user: User) -> QuerySet[UpstreamToken]:
    """Tokens for the streets and parks the user supervises (all, for an admin)."""
    scope = scope_for(user)
    rows = UpstreamToken.objects.select_related("unit", "created_by")
    if scope.is_admin:
        return rows
    return rows.filter(unit_id__in=scope.supervised_unit_ids)
