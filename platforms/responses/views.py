"""The bureau's page of what the employer chain answered and asked on a case (the portal's
pages for representatives are in platforms.portal)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from casework.cases.choices import CaseState
from casework.core.actions import perform
from casework.core.errors import NotFound
from platforms.responses.forms import AnswerForm, StaffResponseForm
from platforms.responses.selectors import employer_side_for_staff
from platforms.responses.services import response_record_for_employer
from platforms.responses.staff import question_answer


def _side(request, case_id):
    try:
        return employer_side_for_staff(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc


def _page(request, case_id, *, status=200, failed=None, response_form=None):
    side = _side(request, case_id)
    for asked in side.questions:
        if asked.answered_at is None:
            failed_here = failed is not None and failed[0] == asked.pk
            asked.answer_form = failed[1] if failed_here else AnswerForm(prefix=f"q{asked.pk}")
    can_record = side.case.state == CaseState.AWAITING_RESPONSE and bool(side.companies)
    return render(
        request,
        "platforms/responses/staff_case.html",
        {
            "side": side,
            "case": side.case,
            "response_form": (response_form or StaffResponseForm(companies=side.companies))
            if can_record
            else None,
        },
        status=status,
    )


@login_required
@require_safe
def employer_side(request, case_id):
    return _page(request, case_id)


@login_required
@require_POST
def answer_question(request, case_id, question_id):
    form = AnswerForm(request.POST, prefix=f"q{question_id}")
    if form.is_valid():
        answer = form.cleaned_data["answer"]
        outcome = perform(
            request,
            lambda: question_answer(
                actor=request.user, case_id=case_id, question_id=question_id, answer=answer
            ),
            done=_("Your answer was sent to the employer."),
            form=form,
        )
        if outcome:
            return redirect(reverse("responses:case", args=[case_id]))
    return _page(request, case_id, status=400, failed=(question_id, form))


@login_required
@require_POST
def record_answer(request, case_id):
    side = _side(request, case_id)
    form = StaffResponseForm(request.POST, companies=side.companies)
    if form.is_valid():
        data = form.cleaned_data
        outcome = perform(
            request,
            lambda: response_record_for_employer(
                actor=request.user,
                case_id=case_id,
                company_id=data["company"],
                kind=data["kind"],
                amount=data.get("amount"),
                pay_by=data.get("pay_by"),
                reasons=data.get("reasons", ""),
                instalments=data["instalments"],
            ),
            done=_("The employer's answer is recorded. The worker has been told."),
            form=form,
        )
        if outcome:
            return redirect(reverse("responses:case", args=[case_id]))
    return _page(request, case_id, status=400, response_form=form)
