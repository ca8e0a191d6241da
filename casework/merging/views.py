"""The merge page (choose the other case, then a preview with both cases' values side by
side) and the split page. Staff who work on the case only; anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework.core.actions import perform
from casework.core.errors import CaseNotFound
from casework.merging.forms import MergeChooseForm, MergeConfirmForm, SplitForm
from casework.merging.selectors import (
    case_by_reference,
    finder_candidates,
    merge_preview_for_user,
    same_worker_open_cases,
    split_choices_for_user,
)
from casework.merging.services import CHOSEN_FIELDS, case_merge
from casework.merging.splitting import SplitInput, case_split


def _or_404(call):
    try:
        return call()
    except CaseNotFound as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_merge_start(request, case_id: int):
    """Choose the case to merge with: by reference, from the worker's open cases, or (later)
    from the duplicate finder's candidates."""
    case = _or_404(lambda: split_choices_for_user(user=request.user, case_id=case_id).case)
    candidates = same_worker_open_cases(user=request.user, case=case)
    form = MergeChooseForm(
        request.POST if request.method == "POST" else None, candidates=candidates
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        other = None
        if data.get("other"):
            other = next((c for c in candidates if c.pk == data["other"]), None)
        if other is None and data.get("reference", "").strip():
            try:
                other = case_by_reference(user=request.user, reference=data["reference"])
            except CaseNotFound:
                other = None
        if other is None or other.pk == case.pk:
            form.add_error("reference", _("No other case of yours has this reference."))
        else:
            merged, survivor = (other, case) if data["keep"] == "this" else (case, other)
            return redirect(reverse("casework:case_merge_preview", args=[merged.pk, survivor.pk]))
    return render(
        request,
        "merging/merge_start.html",
        {
            "case": case,
            "form": form,
            "candidates": candidates,
            "finder_candidates": finder_candidates(user=request.user, case=case),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_merge_preview(request, case_id: int, survivor_id: int):
    """Both cases side by side; per field, whose value survives; confirm with a reason."""
    preview = _or_404(
        lambda: merge_preview_for_user(
            user=request.user, merged_id=case_id, survivor_id=survivor_id
        )
    )
    posted = request.method == "POST"
    form = MergeConfirmForm(
        request.POST if posted else None,
        field_names=CHOSEN_FIELDS,
        initial={"expected_state": preview.merged.state},
    )
    if posted and form.is_valid():
        done = perform(
            request,
            lambda: case_merge(
                actor=request.user,
                merged_id=case_id,
                survivor_id=survivor_id,
                reason=form.cleaned_data["reason"],
                keep=form.keep(),
                expected_state=form.cleaned_data["expected_state"],
            ),
            done=lambda merge: (
                _("%(merged)s was merged into %(survivor)s.")
                % {"merged": preview.merged.reference, "survivor": preview.survivor.reference}
            ),
            form=form,
        )
        if done:
            return redirect(reverse("casework:case_detail", args=[survivor_id]))
    elif posted:
        messages.error(request, _("The form was incomplete; nothing was changed."))
    return render(
        request, "merging/merge_preview.html", {"preview": preview, "form": form}, status=200
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_split_view(request, case_id: int):
    choices = _or_404(lambda: split_choices_for_user(user=request.user, case_id=case_id))
    posted = request.method == "POST"
    form = SplitForm(request.POST if posted else None, choices=choices)
    if posted and form.is_valid():
        data = form.cleaned_data
        done = perform(
            request,
            lambda: case_split(
                actor=request.user,
                case_id=case_id,
                choice=SplitInput(
                    party_ids=data["parties"],
                    evidence_ids=data["evidence"],
                    amount=data["amount"],
                    category=data["category"],
                    description=data["description"],
                    reason=data["reason"],
                ),
            ),
            done=lambda new: (
                _("The new case %(reference)s was filed for the worker.")
                % {"reference": new.reference}
            ),
            form=form,
        )
        if done:
            return redirect(reverse("casework:case_detail", args=[done.result.pk]))
    return render(
        request, "merging/split.html", {"choices": choices, "case": choices.case, "form": form}
    )
