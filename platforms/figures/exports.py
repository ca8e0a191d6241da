"""The figures tables as CSV: the same rows, columns and numbers as the page shows."""

import csv
from io import StringIO

from django.http import HttpResponse
from django.utils.translation import gettext as _

from platforms.figures.counting import Figures


def column_labels() -> dict[str, str]:
    return {
        "requests": _("Requests"),
        "on_time": _("Answered on time"),
        "late": _("Answered late"),
        "open": _("Open, not yet due"),
        "overdue": _("Overdue"),
        "no_longer_owed": _("No longer owed"),
        "median": _("Median time to respond (working days)"),
        "p90": _("90th percentile (working days)"),
    }


def figure_values(figures: Figures) -> list:
    return [
        figures.requests,
        figures.on_time,
        figures.late,
        figures.open,
        figures.overdue,
        figures.no_longer_owed,
        figures.median_shown,
        figures.p90_shown,
    ]


def _cell(value) -> str:
    """A company's name is typed by people: one starting like a formula must not run as one
    in a spreadsheet (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(filename: str, first_column: str, rows: list[tuple[str, Figures]]):
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([first_column, *column_labels().values()])
    for label, figures in rows:
        writer.writerow([_cell(label), *figure_values(figures)])
    # The byte order mark makes spreadsheet programs read the Chinese as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
