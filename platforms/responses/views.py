"""The bureau's page of what the employer chain answered and asked on a case (the portal's
pages for representatives are in platforms.portal)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from casework.core.actions import perform
from casework.core.errors import NotFound
from platforms.responses.forms import AnswerForm
from platforms.responses.selectors import employer_side_for_staff
from platforms.responses.staff import question_answer


def _page(request, case_id, *, status=200, failed=None):
    try:
        side = employer_side_for_staff(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc
    for asked in side.questions:
        if asked.answered_at is None:
            failed_here = failed is not None and failed[0] == asked.pk
            asked.answer_form = failed[1] if failed_here else AnswerForm(prefix=f"q{asked.pk}")
    return render(
        request,
        "platforms/responses/staff_case.html",
        {"side": side, "case": side.case},
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
