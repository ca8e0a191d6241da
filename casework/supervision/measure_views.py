"""The dashboard's measures page, its downloads and its monthly report; the case and
company list exports."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from casework.core.errors import CaseNotFound
from casework.core.replica import replica_reads
from casework.queues.forms import QueueFilterForm
from casework.supervision.charts import build_charts
from casework.supervision.downloads import (
    FORMATS,
    case_export_rows,
    chart_rows,
    company_export_rows,
    export_record,
    file_response,
)
from casework.supervision.filters import PRESETS, MeasureFilterForm
from casework.supervision.measures import (
    chain_companies,
    dashboard_measures_for_user,
    measure_units_for_user,
)
from casework.supervision.report import monthly_report_pdf


def _filters(request):
    """The filters from the query string and the form (with its messages) to show them."""
    try:
        _allowed, units = measure_units_for_user(user=request.user)
    except CaseNotFound as exc:  # not a supervisor: the page does not exist for them
        raise Http404 from exc
    form = MeasureFilterForm(
        request.GET or None, unit_choices=units, company_choices=chain_companies()
    )
    return form, form.filters(today=timezone.localdate())


def _measures(request, filters):
    try:
        return dashboard_measures_for_user(user=request.user, filters=filters)
    except CaseNotFound as exc:  # a unit they do not oversee
        raise Http404 from exc


@login_required
@require_safe
@replica_reads
def measures(request):
    form, filters = _filters(request)
    board = _measures(request, filters)
    return render(
        request,
        "casework/measures.html",
        {
            "form": form,
            "filters": filters,
            "presets": list(PRESETS.items())[:3],
            "board": board,
            "charts": build_charts(board),
            "query": filters.query(),
            "report_month": f"{filters.end:%Y-%m}",
        },
    )


@login_required
@require_safe
@replica_reads
def download(request, chart: str, fmt: str):
    """One chart's or table's numbers, as the page shows them, within the same filters."""
    _form, filters = _filters(request)
    board = _measures(request, filters)
    found = [c for c in build_charts(board) if c.key == chart]
    if not found or fmt not in FORMATS:
        raise Http404
    export_record(
        user=request.user, kind=f"dashboard:{chart}", fmt=fmt, filters={"q": filters.query()}
    )
    name = f"anxin-{chart}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
    return file_response(name, fmt, chart_rows(found[0]))


@login_required
@require_safe
@replica_reads
def monthly_report(request):
    """The month's report as PDF (the month of `month=YYYY-MM`, else of the filters' end)."""
    _form, filters = _filters(request)
    month = _month(request.GET.get("month", ""), default=filters.end)
    if month is None:  # not a month the form offers: a hand-made address
        raise Http404
    try:
        content = monthly_report_pdf(user=request.user, filters=filters, month=month)
    except CaseNotFound as exc:
        raise Http404 from exc
    export_record(
        user=request.user, kind="monthly report", fmt="pdf", filters={"month": f"{month:%Y-%m}"}
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="anxin-report-{month:%Y-%m}.pdf"'
    return response


def _month(value: str, *, default: date) -> date | None:
    if not value:
        return default.replace(day=1)
    year, _dash, month = value.partition("-")
    if not (year.isascii() and year.isdigit() and month.isascii() and month.isdigit()):
        return None
    if not (2000 <= int(year) <= 2100 and 1 <= int(month) <= 12):
        return None
    return date(int(year), int(month), 1)


@login_required
@require_safe
@replica_reads
def case_export(request, fmt: str):
    """The queue's cases (same queue and filters) that the user may see."""
    if fmt not in FORMATS:
        raise Http404
    form = QueueFilterForm(request.GET)
    filters = form.filters()
    try:
        rows = case_export_rows(user=request.user, filters=filters)
    except CaseNotFound as exc:
        raise Http404 from exc
    used = form.cleaned_data if form.is_valid() else {}
    export_record(user=request.user, kind="cases", fmt=fmt, filters=used)
    return file_response(f"anxin-cases-{timezone.localdate():%Y%m%d}", fmt, rows)


@login_required
@require_safe
@replica_reads
def company_export(request, fmt: str):
    """The companies named on the cases the user may see (all of them for the registry's
    keepers), with their cases."""
    if fmt not in FORMATS:
        raise Http404
    try:
        rows = company_export_rows(user=request.user)
    except CaseNotFound as exc:
        raise Http404 from exc
    export_record(user=request.user, kind="companies", fmt=fmt, filters={})
    return file_response(f"anxin-companies-{timezone.localdate():%Y%m%d}", fmt, rows)
