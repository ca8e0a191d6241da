"""The platform portal: the complaints that name a representative's company, masked, and
the employer's answers to them."""

from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from casework.cases.choices import CaseState
from casework.cases.lifecycle import OPEN_STATES
from casework.core.actions import perform
from casework.core.errors import NotFound
from casework.core.uploads import accepts_uploads, private_file_response, request_too_large
from casework.privacy.services import evidence_download_record
from platforms.choices import ResponseChannel
from platforms.portal import selectors
from platforms.portal.forms import QUEUE_LABELS, PortalFilterForm
from platforms.responses.forms import EmployerEvidenceForm, QuestionForm, ResponseForm
from platforms.responses.selectors import employer_side_for_representative
from platforms.responses.services import employer_evidence_add, question_ask, response_submit


@login_required
@require_safe
def portal_home(request):
    form = PortalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queue = filters.get("queue") or "awaiting"
    try:
        cases = selectors.portal_case_list(
            user=request.user,
            queue=queue,
            search=filters.get("q", ""),
            category=filters.get("category", ""),
        )
        counts = selectors.queue_counts(user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    page = Paginator(cases, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    tabs = [
        {"key": key, "label": label, "count": counts.get(key), "current": key == queue}
        for key, label in QUEUE_LABELS.items()
    ]
    return render(
        request,
        "platforms/portal/home.html",
        {"form": form, "page": page, "tabs": tabs, "query": query.urlencode(), "queue": queue},
    )


def _case_page(request, case_id, *, status=200, **forms):
    """The portal's page of a case: what the worker says, the evidence, the timeline, and the
    employer's side (its answers and questions) with the forms to answer, ask and add files."""
    try:
        view = selectors.portal_case_get(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc
    side = employer_side_for_representative(user=request.user, case=view.case)
    context = {
        "view": view,
        "case": view.case,
        "side": side,
        "can_respond": view.case.state == CaseState.AWAITING_RESPONSE,
        "can_add_files": view.case.state in OPEN_STATES,
        "response_form": forms.get("response_form") or ResponseForm(),
        "evidence_form": forms.get("evidence_form") or EmployerEvidenceForm(),
        "question_form": forms.get("question_form") or QuestionForm(),
    }
    return render(request, "platforms/portal/case.html", context, status=status)


def _back(case_id, anchor=""):
    return redirect(reverse("portal:case", args=[case_id]) + anchor)


@login_required
@require_safe
def portal_case(request, case_id):
    return _case_page(request, case_id)


@login_required
@require_POST
def portal_respond(request, case_id):
    form = ResponseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        outcome = perform(
            request,
            lambda: response_submit(
                actor=request.user,
                case_id=case_id,
                kind=data["kind"],
                amount=data.get("amount"),
                pay_by=data.get("pay_by"),
                reasons=data.get("reasons", ""),
                instalments=data["instalments"],
                channel=ResponseChannel.PORTAL,
            ),
            done=_("Your answer is recorded. The bureau and the worker have been told."),
            form=form,
        )
        if outcome:
            return _back(case_id, "#our-answers")
    return _case_page(request, case_id, status=400, response_form=form)


@accepts_uploads()
@login_required
@require_POST
def portal_add_evidence(request, case_id):
    form = EmployerEvidenceForm(request.POST, request.FILES)
    if request_too_large(request):
        form = EmployerEvidenceForm()
        form.add_error(None, _("The files are too large together."))
    elif form.is_valid():
        files = form.cleaned_data["files"]
        outcome = perform(
            request,
            lambda: employer_evidence_add(actor=request.user, case_id=case_id, files=files),
            done=_("Your files were added to the complaint."),
            form=form,
        )
        if outcome:
            return _back(case_id, "#evidence")
    return _case_page(request, case_id, status=400, evidence_form=form)


@login_required
@require_POST
def portal_ask(request, case_id):
    form = QuestionForm(request.POST)
    if form.is_valid():
        question = form.cleaned_data["question"]
        outcome = perform(
            request,
            lambda: question_ask(actor=request.user, case_id=case_id, question=question),
            done=_("Your question was sent to the coordinator."),
            form=form,
        )
        if outcome:
            return _back(case_id, "#questions")
    return _case_page(request, case_id, status=400, question_form=form)


@login_required
@require_safe
def portal_evidence(request, case_id, evidence_id):
    try:
        evidence = selectors.portal_evidence_get(
            user=request.user, case_id=case_id, evidence_id=evidence_id
        )
    except NotFound as exc:
        raise Http404 from exc
    # A worker's file opened by their employer's side: logged like any other opening.
    evidence_download_record(
        actor=request.user,
        evidence=evidence,
        page=urlsplit(request.headers.get("Referer", "")).path,
    )
    return private_file_response(
        evidence.file,
        content_type=evidence.content_type,
        filename=evidence.original_name,
        download="download" in request.GET,
    )
