"""Reads of the platform portal. Every function takes the representative and sees only the
cases that name a company they answer for (platforms.portal.access), masked."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from casework.cases.choices import CaseState
from casework.cases.models import Case, CaseParty, Evidence
from casework.clocks.models import Deadline
from casework.clocks.selectors import Countdown, countdown
from casework.core.errors import CaseNotFound, NotFound
from casework.timeline.models import CaseEvent
from platforms.chain import represented_company_ids
from platforms.models import EmployerResponse
from platforms.portal.masking import mask_mobile, mask_name, mask_text
from platforms.responses.access import represented_cases

PAGE_SIZE = 25
RESPONSE_RULE = "PLATFORM_RESPONSE"
# What the employer reads of the timeline: the steps of the case, not what the bureau and the
# worker wrote to each other.
EMPLOYER_EVENT_KINDS = (
    "filed",
    "transition",
    "mediation_scheduled",
    "mediation_held",
    "mediation_cancelled",
    "agreement_recorded",
    "agreement_signed",
    "collective",
    "employer_responded",
)
QUEUES = ("awaiting", "overdue", "answered", "all")


def _response_clocks(*, overdue: bool = False):
    clocks = Deadline.objects.filter(case=OuterRef("pk"), rule__key=RESPONSE_RULE, status="running")
    return clocks.filter(due_on__lt=timezone.localdate()) if overdue else clocks


def portal_cases(*, user) -> QuerySet[Case]:
    return represented_cases(user=user)


def portal_case_list(
    *, user, queue: str = "awaiting", search: str = "", category: str = ""
) -> QuerySet[Case]:
    cases = portal_cases(user=user)
    if queue == "awaiting":
        cases = cases.filter(state=CaseState.AWAITING_RESPONSE)
    elif queue == "overdue":
        cases = cases.filter(state=CaseState.AWAITING_RESPONSE).filter(
            Exists(_response_clocks(overdue=True))
        )
    elif queue == "answered":
        # Answered by our side of the chain, or recorded by the bureau from our word.
        ours = EmployerResponse.objects.filter(
            case=OuterRef("pk"), company_id__in=represented_company_ids(user)
        )
        recorded = CaseEvent.objects.filter(
            case=OuterRef("pk"), transition="record_response"
        ).exclude(actor__representations__isnull=False)
        cases = cases.filter(Exists(ours) | Exists(recorded))
    if category:
        cases = cases.filter(category=category)
    search = "".join(search.split())
    if search:
        # The whole reference, or its number alone ("000004" or "4").
        digits = search.rsplit("-", 1)[-1]
        query = Q(reference__iexact=search)
        if digits.isdigit():
            query |= Q(reference__endswith="-" + digits.zfill(6))
        cases = cases.filter(query)
    return cases.prefetch_related("parties__company").order_by("-created_at", "-pk")


def queue_counts(*, user) -> dict[str, int]:
    cases = portal_cases(user=user)
    awaiting = cases.filter(state=CaseState.AWAITING_RESPONSE)
    return {
        "awaiting": awaiting.count(),
        "overdue": awaiting.filter(Exists(_response_clocks(overdue=True))).count(),
    }


@dataclass
class PortalCase:
    case: Case
    worker_name: str
    worker_mobile: str
    description: str
    parties: list[CaseParty]
    evidence: list[Evidence]
    events: list[CaseEvent]
    response_clock: Countdown | None


def portal_case_get(*, user, case_id) -> PortalCase:
    try:
        case = portal_cases(user=user).select_related("worker").get(pk=int(case_id))
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc
    events = list(
        CaseEvent.objects.filter(case=case, is_public=True, kind__in=EMPLOYER_EVENT_KINDS).order_by(
            "created_at", "pk"
        )
    )
    for event in events:
        event.visible_reason = ""  # reasons were written for the worker, not the employer
    clock = (
        Deadline.objects.filter(case=case, rule__key=RESPONSE_RULE)
        .select_related("rule")
        .order_by("-started_on", "-pk")
        .first()
    )
    return PortalCase(
        case=case,
        worker_name=mask_name(case.worker_name),
        worker_mobile=mask_mobile(case.worker.mobile or ""),
        description=mask_text(case.description),
        parties=list(case.parties.select_related("company").order_by("position")),
        evidence=list(_shared_evidence(user, case).order_by("uploaded_at", "pk")),
        events=events,
        response_clock=countdown(clock) if clock else None,
    )


def _shared_evidence(user, case: Case):
    """The files the worker agreed to share, and those the employer's side added itself."""
    ours = Q(uploaded_by__representations__company_id__in=represented_company_ids(user))
    files = Evidence.objects.filter(case=case)
    return (files.filter(Q(pk__isnull=False) if case.consent_to_share else ours)).distinct()


def portal_evidence_get(*, user, case_id, evidence_id) -> Evidence:
    """A file of the case the representative may open (_shared_evidence); CaseNotFound
    otherwise."""
    try:
        case = portal_cases(user=user).get(pk=int(case_id))
        return _shared_evidence(user, case).get(pk=int(evidence_id))
    except (Case.DoesNotExist, Evidence.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc


def portal_case_paths(user, case_ids) -> dict[int, str]:
    """The portal's page of each case a representative may open, in one query (their
    notifications and texts link there: the bureau's case page would answer them 404)."""
    try:
        visible = portal_cases(user=user).filter(pk__in=case_ids).values_list("pk", flat=True)
        return {pk: reverse("portal:case", args=[pk]) for pk in visible}
    except NotFound:  # not a representative
        return {}
