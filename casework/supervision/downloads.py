"""Downloads: each dashboard chart or table with exactly the numbers it shows, and the lists
of cases and of companies within the reader's scope, as CSV or XLSX.

Every download is recorded before any row leaves (who, what, which filter, when) in the
ledger's export record (arrears.enforcement.LedgerExport), the one place the bureau reads to
see what left the system. CSV streams as it is written; XLSX is written with xlsxwriter's
constant_memory mode to a temporary file and streamed from it (the case list may be long).
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

import xlsxwriter
from django.db.models import Count, Q
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.enforcement import LedgerExport
from casework.cases.choices import CaseState, Category
from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import CaseParty
from casework.core.errors import CaseNotFound
from casework.organisation.access import scope_for
from casework.organisation.models import User
from casework.queues.selectors import QueueFilters, queue_cases_for_user
from casework.supervision.charts import Chart
from platforms.choices import CompanyKind
from platforms.models import Company
from platforms.registry.access import may_manage_registry

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_record(*, user: User, kind: str, fmt: str, filters: dict) -> None:
    """Write down who downloaded what, with which filter (JSON-safe values only)."""
    LedgerExport.objects.create(
        user=user,
        kind=kind[:20],
        fmt=fmt,
        filters={k: str(v) for k, v in filters.items() if v not in (None, "", False)},
    )


def file_response(name: str, fmt: str, rows: Iterable[list]) -> StreamingHttpResponse:
    chunks = _csv(rows) if fmt == "csv" else _xlsx(rows)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def chart_rows(chart: Chart) -> Iterator[list]:
    """The chart's table: its column names, then each row's label and numbers."""
    yield list(chart.columns)
    for row in chart.rows:
        yield [row.label, *row.values]


# The case list ---------------------------------------------------------------------------
def case_export_rows(*, user: User, filters: QueueFilters) -> Iterator[list]:
    """The queue's cases (its queue and filters) that the user may see, oldest first.
    CaseNotFound for anyone who is not staff."""
    scope = scope_for(user)
    if not (scope.is_staff_member or scope.is_admin):
        raise CaseNotFound
    cases = queue_cases_for_user(user=user, filters=filters)
    return _case_rows(cases)


def _case_rows(cases) -> Iterator[list]:
    yield [_("Reference"), _("Status"), _("Category"), _("Worker"), _("Street"), _("Filed"),
           _("Claimed"), _("Verified"), _("Agreed")]  # fmt: skip
    tz = timezone.get_current_timezone()
    rows = cases.values_list(
        "reference", "state", "category", "worker_name", "jurisdiction__name", "created_at",
        "amount_claimed", "amount_verified", "amount_agreed",
    ).order_by("pk")  # fmt: skip
    for ref, state, category, name, street, filed, claimed, verified, agreed in rows.iterator(2000):
        filed_at = f"{timezone.localtime(filed, tz):%Y-%m-%d %H:%M}"
        yield [ref, str(CaseState(state).label), _category(category), name, street, filed_at,
               claimed, verified, agreed]  # fmt: skip


def _category(key: str) -> str:
    try:
        return str(Category(key).label)
    except ValueError:
        return key


# The company list ------------------------------------------------------------------------
def company_export_rows(*, user: User) -> Iterator[list]:
    """The companies named on the cases the user may see, with those cases and the open ones
    among them; the registry's keepers get every company. CaseNotFound for anyone else."""
    scope = scope_for(user)
    if not (scope.is_staff_member or scope.is_admin):
        raise CaseNotFound
    # The cases the user may see, as the queue's "all I can see" reads them.
    visible = queue_cases_for_user(user=user, filters=QueueFilters(queue="all"))
    counts = {
        row["company_id"]: row
        for row in CaseParty.objects.filter(case__in=visible.values("pk"), company__isnull=False)
        .values("company_id")
        .annotate(
            cases=Count("case_id", distinct=True),
            open=Count("case_id", distinct=True, filter=Q(case__state__in=OPEN_STATES)),
        )
        .order_by()
    }
    companies = Company.objects.select_related("parent").order_by("kind", "name", "pk")
    if not may_manage_registry(user):
        companies = companies.filter(pk__in=list(counts))
    return _company_rows(companies, counts)


def _company_rows(companies, counts) -> Iterator[list]:
    yield [_("Company"), _("Kind"), _("Unified social credit code"), _("Above it in the chain"),
           _("Cases"), _("Open cases")]  # fmt: skip
    for company in companies.iterator(2000):
        seen = counts.get(company.pk, {})
        yield [company.name, str(CompanyKind(company.kind).label), company.credit_code,
               company.parent.name if company.parent else "", seen.get("cases", 0),
               seen.get("open", 0)]  # fmt: skip


# Writers ----------------------------------------------------------------------------------
class _Echo:
    def write(self, value):
        return value


def _cell(value):
    # A cell starting with = + - @ would be a formula in a spreadsheet: keep it text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def _csv(rows) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()  # Excel reads UTF-8 with the mark
    for row in rows:
        yield writer.writerow([_cell(v) for v in row]).encode()


def _xlsx(rows) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as handle:
        book = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
        sheet = book.add_worksheet()
        money = book.add_format({"num_format": "#,##0.00"})
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or isinstance(value, str):
                    sheet.write_string(r, c, _cell(value) if value else "")
                elif isinstance(value, Decimal) and value.as_tuple().exponent == -2:
                    sheet.write_number(r, c, float(value), money)
                else:
                    sheet.write_number(r, c, float(value))
        book.close()
        handle.seek(0)
        while chunk := handle.read(65536):
            yield chunk
