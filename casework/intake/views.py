"""Filing a complaint: workers in four short steps on a phone, staff on one page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework.cases.choices import MONEY_CATEGORIES
from casework.clocks.selectors import accept_due_for
from casework.core.errors import ActionRefused
from casework.core.uploads import accepts_uploads, request_too_large
from casework.intake.drafts import draft_clear, draft_for, draft_save_step
from casework.intake.forms import (
    EmployerForm,
    EvidenceConsentForm,
    StaffIntakeForm,
    WhatHappenedForm,
    WhereWhenForm,
    claim_for,
)
from casework.intake.limitation import limitation_warnings
from casework.intake.models import IntakeDraft
from casework.intake.services import Complaint, case_file
from casework.organisation.access import scope_for
from casework.organisation.services.workers import worker_get_or_create
from casework.routing.router import NoTeamForJurisdiction

STEPS = {
    1: (WhatHappenedForm, _("What happened")),
    2: (EmployerForm, _("Who you work for")),
    3: (WhereWhenForm, _("Where and when")),
    4: (EvidenceConsentForm, _("Evidence and consent")),
}
STEP_TITLES = {1: "what", 2: "employer", 3: "where", 4: "evidence"}


def _step_form(step: int, draft: IntakeDraft, data=None, files=None):
    form_class = STEPS[step][0]
    kwargs = {}
    if form_class is WhereWhenForm:
        kwargs["category"] = draft.data.get("1", {}).get("category", "")
    if data is None and step != 4:
        return form_class(initial=draft.data.get(str(step), {}), **kwargs)
    return form_class(data, files, **kwargs)


def _complaint_from_draft(draft: IntakeDraft) -> tuple[Complaint | None, int | None]:
    """Re-validate every saved step; returns the first step that is not valid any more."""
    forms = {}
    for step in (1, 2, 3):
        form = _step_form(step, draft, data=draft.data.get(str(step), {}))
        if not form.is_valid():
            return None, step
        forms[step] = form
    what, employer, where = forms[1].cleaned_data, forms[2], forms[3].cleaned_data
    complaint = Complaint(
        category=what["category"],
        description=what["description"],
        jurisdiction=where["jurisdiction"],
        period_start=where["period_start"],
        period_end=where["period_end"],
        amount_claimed=claim_for(what["category"], where["amount_claimed"]),
        order_ids=where["order_ids"],
        still_working=where["still_working"],
        parties=employer.parties(),
    )
    return complaint, None


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
        if step == 4 and request_too_large(request):
            error = _("The files are too large together. Send at most 10 files of 10 MB each.")
        else:
            form = _step_form(step, draft, data=request.POST, files=request.FILES)
            if "back" in request.POST and step > 1:
                if step < 4:
                    draft_save_step(owner=request.user, step=step, form=form, advance=False)
                return redirect("casework:intake_step", step=step - 1)
            if form.is_valid():
                if step < 4:
                    draft_save_step(owner=request.user, step=step, form=form)
                    return redirect("casework:intake_step", step=step + 1)
                response = _submit(request, draft, form)
                if response:
                    return response
    category = draft.data.get("1", {}).get("category", "")
    warnings = []
    if step == 4:
        complaint, _broken = _complaint_from_draft(draft)
        if complaint is not None:
            warnings = limitation_warnings(
                period_end=complaint.period_end,
                still_working=complaint.still_working,
                today=timezone.localdate(),
            )
    return render(
        request,
        "casework/intake_step.html",
        {
            "form": form,
            "step": step,
            "steps": [(n, title) for n, (_f, title) in STEPS.items()],
            "step_title": STEPS[step][1],
            "error": error,
            "money": category in MONEY_CATEGORIES,
            "warnings": warnings,
            "operators": _operator_names() if step == 2 else [],
        },
    )


def _operator_names():
    from platforms.models import Company

    return list(
        Company.objects.exclude(kind="platform").order_by("name").values_list("name", flat=True)
    )


def _submit(request, draft, form):
    complaint, broken_step = _complaint_from_draft(draft)
    if complaint is None:
        messages.error(request, _("Please check this step again."))
        return redirect("casework:intake_step", step=broken_step)
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
                    complaint=Complaint(
                        category=data["category"],
                        description=data["description"],
                        jurisdiction=data["jurisdiction"],
                        period_start=data["period_start"],
                        period_end=data["period_end"],
                        amount_claimed=claim_for(data["category"], data["amount_claimed"]),
                        order_ids=data["order_ids"],
                        still_working=data["still_working"],
                        parties=form.parties(),
                        consent_to_share=data["consent_to_share"],
                        worker_name=data["worker_name"],
                        files=data["files"],
                    ),
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
        request, "casework/staff_intake.html", {"form": form, "operators": _operator_names()}
    )
