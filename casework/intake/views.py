"""Filing a complaint: workers in short steps on a phone (kept as they go, checked on a review
screen before sending), staff on one page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from casework.cases.choices import MONEY_CATEGORIES
from casework.clocks.selectors import accept_due_for
from casework.core.errors import ActionRefused
from casework.core.uploads import accepts_uploads, request_too_large
from casework.duplicates.finder import find_duplicates
from casework.intake.drafts import draft_clear, draft_for, draft_save_step
from casework.intake.forms import (
    AboutYouForm,
    EmployerForm,
    EvidenceConsentForm,
    StaffIntakeForm,
    WhatHappenedForm,
    WhereWhenForm,
    claim_for,
)
from casework.intake.limitation import limitation_warnings
from casework.intake.models import IntakeDraft
from casework.intake.review import review_steps
from casework.intake.selectors import operator_names
from casework.intake.services import Complaint, case_file
from casework.organisation.access import scope_for
from casework.organisation.services.workers import worker_get_or_create
from casework.routing.router import NoTeamForJurisdiction

# Titles are lazy: this table is built at import, the page is read in the request's language.
STEPS = {
    1: (WhatHappenedForm, gettext_lazy("What happened")),
    2: (EmployerForm, gettext_lazy("Who you work for")),
    3: (WhereWhenForm, gettext_lazy("Where and when")),
    4: (AboutYouForm, gettext_lazy("About you")),
    5: (EvidenceConsentForm, gettext_lazy("Check and send")),
}
LAST_STEP = max(STEPS)
SAVED_STEPS = range(1, LAST_STEP)  # the last step's files and consent are sent, never kept


def _step_form(step: int, draft: IntakeDraft, data=None, files=None):
    form_class = STEPS[step][0]
    kwargs = {}
    if form_class is WhereWhenForm:
        kwargs["category"] = draft.data.get("1", {}).get("category", "")
    if data is None and step != LAST_STEP:
        return form_class(initial=draft.data.get(str(step), {}), **kwargs)
    return form_class(data, files, **kwargs)


def _validated_steps(draft: IntakeDraft) -> tuple[dict, int | None]:
    """Re-validate every saved step; returns the forms, or the first step that is not valid."""
    forms = {}
    for step in SAVED_STEPS:
        form = _step_form(step, draft, data=draft.data.get(str(step), {}))
        if not form.is_valid():
            return {}, step
        forms[step] = form
    return forms, None


def _complaint(forms: dict) -> Complaint:
    what, employer, where = forms[1].cleaned_data, forms[2], forms[3].cleaned_data
    about = forms[4].cleaned_data
    return Complaint(
        category=what["category"],
        description=what["description"],
        jurisdiction=where["jurisdiction"],
        period_start=where["period_start"],
        period_end=where["period_end"],
        amount_claimed=claim_for(what["category"], where["amount_claimed"]),
        order_ids=where["order_ids"],
        still_working=where["still_working"],
        parties=employer.parties(),
        worker_name=about["worker_name"],
        worker_id_number=about["worker_id_number"],
    )


def _worker_only(request):
    if not request.user.is_worker:
        raise Http404


@login_required
def intake_start(request):
    _worker_only(request)
    return redirect("casework:intake_step", step=draft_for(owner=request.user).step)


@accepts_uploads()
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def intake_step(request, step: int):
    _worker_only(request)
    if step not in STEPS:
        raise Http404
    draft = draft_for(owner=request.user)  # a GET writes nothing; saving a step creates it
    if step > draft.step:
        return redirect("casework:intake_step", step=draft.step)
    form = _step_form(step, draft)
    error = None
    if request.method == "POST":
        if step == LAST_STEP and request_too_large(request):
            error = _("The files are too large together. Send at most 10 files of 10 MB each.")
        else:
            form = _step_form(step, draft, data=request.POST, files=request.FILES)
            if step in SAVED_STEPS and ({"autosave", "later", "back"} & request.POST.keys()):
                # What is typed so far is kept, even half a step: the worker may be cut off.
                draft_save_step(owner=request.user, step=step, form=form, advance=False)
                if "autosave" in request.POST:
                    return HttpResponse(status=204)
                if "later" in request.POST:
                    messages.success(request, _("Saved. Continue any time from My cases."))
                    return redirect("casework:my_cases")
            if "back" in request.POST and step > 1:
                return redirect("casework:intake_step", step=step - 1)
            if form.is_valid():
                if step in SAVED_STEPS:
                    draft_save_step(owner=request.user, step=step, form=form)
                    return redirect("casework:intake_step", step=step + 1)
                response = _submit(request, draft, form)
                if response:
                    return response
    category = draft.data.get("1", {}).get("category", "")
    warnings, review, duplicates = [], [], []
    if step == LAST_STEP:
        forms, broken_step = _validated_steps(draft)
        if broken_step is not None:
            messages.error(request, _("Please check this step again."))
            return redirect("casework:intake_step", step=broken_step)
        complaint = _complaint(forms)
        review = review_steps(forms, {n: title for n, (_f, title) in STEPS.items()})
        warnings = limitation_warnings(
            period_end=complaint.period_end,
            still_working=complaint.still_working,
            today=timezone.localdate(),
        )
        duplicates = _already_filed(request.user, complaint)
    return render(
        request,
        "casework/intake_step.html",
        {
            "form": form,
            "step": step,
            "last_step": LAST_STEP,
            "steps": [(n, title) for n, (_f, title) in STEPS.items()],
            "step_title": STEPS[step][1],
            "error": error,
            "money": category in MONEY_CATEGORIES,
            "warnings": warnings,
            "review": review,
            "operators": operator_names() if step == 2 else [],
            "duplicates": duplicates,
        },
    )


def _already_filed(worker, complaint: Complaint):
    """The worker's own open complaints that look like this one: the review step asks
    "you already filed BJ-…; add to it?" and lets them send this one anyway."""
    return find_duplicates(
        phone=worker.mobile or "",
        id_number=complaint.worker_id_number,
        company_ids={p.company.pk for p in complaint.parties if p.company is not None},
        period_start=complaint.period_start,
        period_end=complaint.period_end,
        amount=complaint.amount_claimed,
        limit=3,
        visible_to=worker,
    )


def _submit(request, draft, form):
    forms, broken_step = _validated_steps(draft)
    if broken_step is not None:
        messages.error(request, _("Please check this step again."))
        return redirect("casework:intake_step", step=broken_step)
    complaint = _complaint(forms)
    complaint.files = form.cleaned_data["files"]
    complaint.consent_to_share = form.cleaned_data["consent_to_share"]
    try:
        with transaction.atomic():
            case = case_file(actor=request.user, complaint=complaint, channel="online")
            draft_clear(owner=request.user)
    except NoTeamForJurisdiction as refusal:
        form.add_error(None, str(refusal))
        return None
    except ActionRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return None
    return HttpResponseRedirect(reverse("casework:receipt", args=[case.pk]))


@login_required
def receipt(request, case_id: int):
    from casework.cases.selectors import case_get_for_user
    from casework.core.errors import CaseNotFound

    try:
        view = case_get_for_user(user=request.user, case_id=case_id)
    except CaseNotFound as exc:
        raise Http404 from exc
    due = accept_due_for(view.case)
    return render(request, "casework/receipt.html", {"case": view.case, "due": due})


@accepts_uploads()
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_intake(request):
    """Staff file for a walk-in or phone caller; the worker's account is found or created."""
    if not scope_for(request.user).is_staff_member:
        raise Http404
    form = StaffIntakeForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and request_too_large(request):
        form = StaffIntakeForm()
        form.add_error(None, _("The files are too large together."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                worker = worker_get_or_create(
                    actor=request.user, mobile=data["worker_mobile"], name=data["worker_name"]
                )
                case = case_file(
                    actor=request.user,
                    worker=worker,
                    channel=data["channel"],
                    complaint=form.complaint(),
                )
        except (ActionRefused, NoTeamForJurisdiction, ValidationError) as refusal:
            form.add_error(
                getattr(refusal, "field", None)
                if getattr(refusal, "field", None) in form.fields
                else None,
                getattr(refusal, "message", None) or str(refusal),
            )
        else:
            messages.success(request, _("Filed as %(reference)s.") % {"reference": case.reference})
            return redirect("casework:case_detail", case_id=case.pk)
    return render(
        request, "casework/staff_intake.html", {"form": form, "operators": operator_names()}
    )
