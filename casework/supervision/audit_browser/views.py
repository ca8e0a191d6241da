"""The audit browser's pages: the history of every tracked record, its CSV export, and the
personal-data access log. Supervisors (their units) and administrators; 404 for others."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from casework.core.errors import NotFound
from casework.core.replica import replica_reads
from casework.organisation.access import scope_for
from casework.privacy.masking import mask_name
from casework.privacy.services import audit_export_record
from casework.supervision.audit_browser.access_log import (
    AccessFilterForm,
    access_log_page_for_user,
)
from casework.supervision.audit_browser.describe import describe_entries
from casework.supervision.audit_browser.filters import AuditFilterForm
from casework.supervision.audit_browser.selectors import (
    audit_entries_for_export,
    audit_page_for_user,
    audit_scope_q,
)


def _form(request) -> AuditFilterForm:
    form = AuditFilterForm(request.GET)
    form.is_valid()  # errors are shown beside the fields; an invalid form filters nothing
    return form


@login_required
@require_safe
@replica_reads
def audit_browser(request):
    form = _form(request)
    query = form.audit_query()
    try:
        page = audit_page_for_user(user=request.user, query=query, after=request.GET.get("after"))
    except NotFound as exc:
        raise Http404 from exc
    params = query.as_params()
    return render(
        request,
        "casework/audit_browser.html",
        {
            "form": form,
            "entries": describe_entries(page.entries),
            "next_query": urlencode({**params, "after": page.next_cursor})
            if page.next_cursor
            else "",
            "export_query": urlencode(params),
            "first_page": not request.GET.get("after"),
        },
    )


class _Echo:
    def write(self, value):
        return value


def _csv_rows(user, query):
    header = [
        _("When"),
        _("Changed by"),
        _("Action"),
        _("Record type"),
        _("Record"),
        _("Reason"),
        _("Field"),
        _("Before"),
        _("After"),
    ]
    yield header
    for batch in audit_entries_for_export(user=user, query=query):
        for item in describe_entries(batch):
            when = timezone.localtime(item.when).strftime("%Y-%m-%d %H:%M:%S")
            common = [when, item.who, str(item.action), item.record_type, item.record, item.reason]
            if not item.changes:
                yield [*common, "", "", ""]
            for change in item.changes:
                yield [*common, str(change["field"]), change["old"], change["new"]]


def _safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_safe
@replica_reads
def audit_export(request):
    """The filtered view as CSV, streamed; the export itself is recorded (who, filter, when)."""
    form = _form(request)
    query = form.audit_query()
    try:
        audit_scope_q(request.user)
    except NotFound as exc:
        raise Http404 from exc
    scope = scope_for(request.user)
    unit = min(scope.supervised_unit_ids) if scope.supervised_unit_ids else None
    audit_export_record(actor=request.user, filters=query.in_words(), unit_id=unit)
    writer = csv.writer(_Echo())
    rows = ([_safe_cell(cell) for cell in row] for row in _csv_rows(request.user, query))
    response = StreamingHttpResponse(
        ("\ufeff" if i == 0 else "") + writer.writerow(row) for i, row in enumerate(rows)
    )
    response["Content-Type"] = "text/csv; charset=utf-8"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="anxin-audit-{stamp}.csv"'
    return response


@login_required
@require_safe
@replica_reads
def access_log(request):
    form = AccessFilterForm(request.GET)
    valid = form.is_valid()
    kind = form.cleaned_data.get("kind", "") if valid else ""
    case = form.cleaned_data.get("case", "") if valid else ""
    try:
        page = access_log_page_for_user(
            user=request.user, kind=kind, case=case, after=request.GET.get("after")
        )
    except NotFound as exc:
        raise Http404 from exc
    params = {k: v for k, v in {"kind": kind, "case": case}.items() if v}
    return render(
        request,
        "casework/audit_access_log.html",
        {
            "form": form,
            "rows": [
                {"row": row, "whose": mask_name(row.case.worker_name) if row.case else ""}
                for row in page.rows
            ],
            "next_query": urlencode({**params, "after": page.next_cursor})
            if page.next_cursor
            else "",
        },
    )
