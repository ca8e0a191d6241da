"""The platform portal: the complaints that name a representative's company, masked."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from casework.core.errors import NotFound
from casework.core.uploads import private_file_response
from platforms.portal import selectors
from platforms.portal.forms import QUEUE_LABELS, PortalFilterForm


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


@login_required
@require_safe
def portal_case(request, case_id):
    try:
        view = selectors.portal_case_get(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "platforms/portal/case.html", {"view": view, "case": view.case})


@login_required
@require_safe
def portal_evidence(request, case_id, evidence_id):
    try:
        evidence = selectors.portal_evidence_get(
            user=request.user, case_id=case_id, evidence_id=evidence_id
        )
    except NotFound as exc:
        raise Http404 from exc
    return private_file_response(
        evidence.file,
        content_type=evidence.content_type,
        filename=evidence.original_name,
        download="download" in request.GET,
    )
