"""Employer totals: the arrears ledger per company, and one company's cases."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from arrears.exports import FORMATS, KINDS, ledger_export
from arrears.forms import EmployerListForm
from arrears.selectors import employer_get_for_user, employer_totals_for_user
from casework.core.bounds import MAX_ID
from casework.core.errors import CaseNotFound
from casework.core.forms import Form
from casework.core.replica import replica_reads
from casework.queues.forms import QueueFilterForm

COLUMNS = {  # sortable columns, in the order shown
    "cases": _("Cases"),
    "claimed": _("Claimed"),
    "verified": _("Verified"),
    "agreed": _("Agreed"),
    "paid": _("Paid"),
    "outstanding": _("Outstanding"),
}


EXPORT_KINDS = [
    ("claims", _("Claims")),
    ("instalments", _("Instalments")),
    ("payments", _("Payments")),
]


def _query(request) -> dict:
    form = EmployerListForm(request.GET)
    return form.cleaned_data if form.is_valid() else {}


@login_required
@require_safe
def employer_list(request):
    query = _query(request)
    try:
        page = employer_totals_for_user(
            user=request.user, sort=query.get("sort") or "outstanding", page=query.get("page") or 1
        )
    except CaseNotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "arrears/employers.html",
        {"page": page, "columns": COLUMNS, "export_kinds": EXPORT_KINDS},
    )


@login_required
@require_safe
def employer_detail(request, company_id: int):
    query = _query(request)
    try:
        detail = employer_get_for_user(
            user=request.user, company_id=company_id, page=query.get("page") or 1
        )
    except CaseNotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "arrears/employer_detail.html",
        {"detail": detail, "export_kinds": EXPORT_KINDS, "export_company": detail.company.pk},
    )


class ExportForm(Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS])
    format = forms.ChoiceField(choices=[(f, f) for f in FORMATS])
    company = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    # "queue": the cases of the queue page with its filters (the rest of the query string).
    list = forms.ChoiceField(
        choices=[("employers", "employers"), ("queue", "queue")], required=False
    )


@login_required
@require_safe
@replica_reads
def ledger_export_view(request):
    """Claims, instalments or payments of the cases the user sees (one company's with
    `company`; the queue page's list with `list=queue` and its filters), as CSV or XLSX,
    streamed; the export is recorded with its filter."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    queue = None
    if data["list"] == "queue":
        # The queue page's own form: a filter it would not take is not taken here either.
        queue_form = QueueFilterForm(request.GET)
        if not queue_form.is_valid():
            raise Http404
        queue = queue_form.filters()
    try:
        name, content_type, chunks = ledger_export(
            user=request.user,
            kind=data["kind"],
            fmt=data["format"],
            company_id=data["company"],
            queue_filters=queue,
        )
    except CaseNotFound as exc:
        raise Http404 from exc
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
