"""Reads of the API, through the portal's selectors (same cases, same masking), shaped as the
API's schemas. Every function takes the user, scoped to their token's company."""

from datetime import datetime

from django.core import signing
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.clocks.models import Deadline
from platforms.api.errors import ApiError
from platforms.api.models import ApiToken
from platforms.portal import selectors as portal
from platforms.portal.masking import mask_name, mask_text

_CURSOR_SALT = "anxin.api.cases.cursor"


def _encode_cursor(case: Case) -> str:
    return signing.dumps([case.created_at.isoformat(), case.pk], salt=_CURSOR_SALT, compress=True)


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        created, pk = signing.loads(cursor, salt=_CURSOR_SALT)
        return datetime.fromisoformat(created), int(pk)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ApiError(
            400,
            "invalid_cursor",
            _("This cursor is not one we gave: start again without it."),
            fields={"cursor": _("This cursor is not one we gave: start again without it.")},
        ) from exc


def _summary(case: Case, due_on, parties) -> dict:
    return {
        "id": case.pk,
        "reference": case.reference,
        "state": case.state,
        "state_label": str(case.state_label),
        "category": case.category,
        "category_label": str(case.category_label),
        "worker_name": mask_name(case.worker_name),
        "employer_chain": [
            {"position": party.position, "kind": party.kind, "name": mask_text(str(party))}
            for party in parties
        ],
        "amount_claimed": case.amount_claimed,
        "period_start": case.period_start,
        "period_end": case.period_end,
        "response_due_on": due_on,
        "created_at": timezone.localtime(case.created_at),
        "updated_at": timezone.localtime(case.updated_at),
    }


def api_case_page(
    *,
    user,
    queue: str = "awaiting",
    state: str | None = None,
    updated_since: datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict:
    """One page of the cases the user's company is named in, newest first: by default those
    awaiting our response. Three queries whatever the page size."""
    cases = portal.portal_case_list(user=user, queue=queue)
    if state:
        cases = cases.filter(state=state)
    if updated_since is not None:
        if timezone.is_naive(updated_since):
            updated_since = timezone.make_aware(updated_since)
        cases = cases.filter(updated_at__gte=updated_since)
    if cursor:
        created, pk = _decode_cursor(cursor)
        cases = cases.filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk))
    running = Deadline.objects.filter(
        case=OuterRef("pk"), rule__key=portal.RESPONSE_RULE, status="running"
    ).order_by("-started_on", "-pk")
    cases = cases.annotate(response_due_on=Subquery(running.values("due_on")[:1]))
    rows = list(cases.order_by("-created_at", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [_summary(case, case.response_due_on, case.parties.all()) for case in rows],
        "next_cursor": _encode_cursor(rows[-1]) if more else None,
    }


def api_case_get(*, user, case_id) -> dict:
    view = portal.portal_case_get(user=user, case_id=case_id)
    case = view.case
    clock = view.response_clock
    due_on = clock.deadline.due_on if clock and clock.deadline and clock.tone != "done" else None
    return {
        **_summary(case, due_on, view.parties),
        "worker_name": view.worker_name,
        "worker_mobile": view.worker_mobile,
        "description": view.description,
        "amount_verified": case.amount_verified,
        "amount_agreed": case.amount_agreed,
        "consent_to_share": case.consent_to_share,
        "evidence": [
            {
                "id": item.pk,
                "name": mask_text(item.original_name),
                "content_type": item.content_type,
                "size": item.size,
                "uploaded_at": timezone.localtime(item.uploaded_at),
            }
            for item in view.evidence
        ],
    }


def api_case_timeline(*, user, case_id) -> dict:
    view = portal.portal_case_get(user=user, case_id=case_id)
    return {
        "case_id": view.case.pk,
        "events": [
            {
                "kind": event.kind,
                "headline": mask_text(event.headline),
                "at": timezone.localtime(event.created_at),
            }
            for event in view.events
        ],
    }


def token_list_for_user(*, user) -> list[ApiToken]:
    """The user's own tokens, newest first (none for anyone who represents no company)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        ApiToken.objects.filter(representative__user=user)
        .select_related("representative__company")
        .order_by("-created_at", "-pk")
    )


def api_response_out(response) -> dict:
    """A response the service recorded, as the API shows it."""
    return {
        "id": response.pk,
        "case_id": response.case_id,
        "kind": response.kind,
        "amount": response.amount,
        "pay_by": response.pay_by,
        "instalments": [
            {"due_on": item.due_on, "amount": item.amount}
            for item in response.instalments.order_by("position")
        ],
        "late": response.is_late,
        "responded_at": timezone.localtime(response.responded_at),
    }


def api_evidence_out(case_id: int, added) -> dict:
    return {
        "case_id": case_id,
        "files": [
            {
                "id": item.pk,
                "name": mask_text(item.original_name),
                "content_type": item.content_type,
                "size": item.size,
                "uploaded_at": timezone.localtime(item.uploaded_at),
            }
            for item in added
        ],
    }
