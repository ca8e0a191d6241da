"""What the employer said on a case and what it asked: for its own representatives (the
portal's case page) and for the bureau's staff (the case's employer page)."""

from dataclasses import dataclass

from django.db.models import Prefetch

from casework.cases.models import Case
from casework.cases.selectors import case_for_staff
from platforms.chain import represented_company_ids
from platforms.models import EmployerQuestion, EmployerResponse, PlanInstalment


@dataclass
class EmployerSide:
    case: Case
    responses: list[EmployerResponse]
    questions: list[EmployerQuestion]


def _responses(case_id: int, companies=None) -> list[EmployerResponse]:
    rows = EmployerResponse.objects.filter(case_id=case_id)
    if companies is not None:
        rows = rows.filter(company_id__in=companies)
    return list(
        rows.select_related("company", "responded_by")
        .prefetch_related(
            Prefetch("instalments", queryset=PlanInstalment.objects.order_by("position"))
        )
        .order_by("responded_at", "pk")
    )


def _questions(case_id: int, companies=None) -> list[EmployerQuestion]:
    rows = EmployerQuestion.objects.filter(case_id=case_id)
    if companies is not None:
        rows = rows.filter(company_id__in=companies)
    return list(
        rows.select_related("company", "asked_by", "answered_by").order_by("asked_at", "pk")
    )


def employer_side_for_representative(*, user, case: Case) -> EmployerSide:
    """`case` was read through the portal's selectors (it names the user's company): what
    their side of the chain answered and asked, not what other companies on the case did."""
    companies = represented_company_ids(user)
    return EmployerSide(
        case=case,
        responses=_responses(case.pk, companies),
        questions=_questions(case.pk, companies),
    )


def employer_side_for_staff(*, user, case_id) -> EmployerSide:
    """Everything every company on the case answered and asked; CaseNotFound unless the user
    works on the case."""
    case, _roles = case_for_staff(user=user, case_id=case_id)
    return EmployerSide(case=case, responses=_responses(case.pk), questions=_questions(case.pk))


def open_question_count(*, case_id: int) -> int:
    return EmployerQuestion.objects.filter(case_id=case_id, answered_at__isnull=True).count()
