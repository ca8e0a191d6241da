"""The worker's rating (posted from their case page), the review's steps (posted from the
staff case page) and the supervisors' satisfaction page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from casework.core.actions import perform
from casework.core.errors import NotFound
from casework.ratings.forms import CallbackForm, RatingForm, ReviewCloseForm
from casework.ratings.selectors import (
    case_visible_to,
    open_reviews_for_user,
    review_case_id_for_user,
    satisfaction_for_user,
)
from casework.ratings.services import case_rate, review_close, review_record_callback


def _back(case_id):
    return redirect(reverse("casework:case_detail", args=[case_id]) + "#rating")


def _refuse(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def case_rate_view(request, case_id: int):
    try:
        case_visible_to(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc
    form = RatingForm(request.POST)
    if not form.is_valid():
        _refuse(request, form)
        return _back(case_id)
    perform(
        request,
        lambda: case_rate(
            actor=request.user,
            case_id=case_id,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
        ),
        done=_("Thank you: your rating is saved."),
    )
    return _back(case_id)


@login_required
@require_POST
def review_callback_view(request, review_id: int):
    case_id = _review_case(request, review_id)
    form = CallbackForm(request.POST)
    if not form.is_valid():
        _refuse(request, form)
        return _back(case_id)
    perform(
        request,
        lambda: review_record_callback(
            actor=request.user, review_id=review_id, findings=form.cleaned_data["findings"]
        ),
        done=_("The call-back is recorded; the team now puts it right."),
    )
    return _back(case_id)


@login_required
@require_POST
def review_close_view(request, review_id: int):
    case_id = _review_case(request, review_id)
    form = ReviewCloseForm(request.POST)
    if not form.is_valid():
        _refuse(request, form)
        return _back(case_id)
    perform(
        request,
        lambda: review_close(
            actor=request.user,
            review_id=review_id,
            upheld=form.cleaned_data["result"] == "put_right",
            outcome=form.cleaned_data["outcome"],
        ),
        done=_("The review is closed."),
    )
    return _back(case_id)


def _review_case(request, review_id) -> int:
    try:
        return review_case_id_for_user(user=request.user, review_id=review_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_safe
def satisfaction(request):
    """Supervisors: satisfaction rate by team, street, category and channel; open reviews."""
    try:
        tables = satisfaction_for_user(user=request.user)
        reviews = open_reviews_for_user(user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "ratings/satisfaction.html", {"tables": tables, "reviews": reviews})
