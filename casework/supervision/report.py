"""The printable monthly report: the month's figures, charts and tables, and the audit log's
daily digests of the month (the chain's Merkle roots, so that a printed copy can later be
checked against the log), rendered to PDF by the documents pipeline (WeasyPrint with the
bundled CJK fonts, the safe fetcher; mediation/documents/rendering.py).

The report is rendered in the request: one month of figures is a few pages (well under a
second here); it is not stored, as the figures of a month change while cases in it move.
"""

from dataclasses import replace
from datetime import date

from django.urls import reverse
from django.utils import translation

from casework.audit.models import DailyDigest
from casework.organisation.models import User
from casework.supervision.charts import build_charts
from casework.supervision.filters import MeasureFilters, month_range
from casework.supervision.measures import dashboard_measures_for_user
from mediation.documents.rendering import render_pdf


def monthly_report_pdf(*, user: User, filters: MeasureFilters, month: date) -> bytes:
    """The PDF of `month` within the filters' unit, category and platform. CaseNotFound (404)
    for anyone but a supervisor, and for a unit they do not oversee."""
    start, end = month_range(month)
    filters = replace(filters, start=start, end=end, preset="custom")
    measures = dashboard_measures_for_user(user=user, filters=filters)
    unit_names = dict(measures.units)
    with translation.override("zh-hans"):  # documents are in Chinese, whoever asks
        charts = build_charts(measures)
    digests = list(DailyDigest.objects.filter(day__gte=start, day__lte=end).order_by("day"))
    rendered = render_pdf(
        template_name="casework/monthly_report.html",
        context={
            "measures": measures,
            "charts": charts,
            "month": start,
            "unit_name": unit_names.get(filters.unit_id, ""),
            "digests": digests,
        },
        code=f"{start:%Y%m}",
        verify_url=reverse("casework:dashboard_measures") + "?" + filters.query(),
    )
    return rendered.content
