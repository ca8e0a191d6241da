"""The dashboard's charts and tables, built from the measures, each with its data table, its
downloads and the links to the cases behind every number.

Charts are drawn by small Django templates (templates/casework/partials/chart.html), not by
pygal. Why: the page must work under the project's CSP without inline script, and pygal's
SVG carries its own script hooks, inline styles and a title/desc we would have to rewrite
to make the chart accessible (role, aria-labelledby, text labels on every bar, patterns for
the second series, links on bars); the charts needed are two shapes (horizontal bars, weekly
pairs of bars), about sixty lines of geometry here; the same SVG goes into the PDF report
unchanged (WeasyPrint draws inline SVG); and no new dependency has to be kept up to date.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from casework.cases.choices import CaseState, Category
from casework.supervision.measures import Measures

BAR_AREA = (220, 560)  # x where bars start and the longest one ends
ROW_HEIGHT = 30
WEEK_WIDTH = 640


@dataclass
class Row:
    label: str
    values: list  # numbers (int, Decimal, float) or None for "no data"
    links: list = field(default_factory=list)  # a queue URL per value, or None
    cells: list = field(default_factory=list)  # what the table shows, set by build_charts


@dataclass
class Chart:
    key: str
    title: str
    description: str
    columns: list[str]  # the label column, then one per value
    rows: list[Row]
    shape: str = ""  # "bars", "weeks", or "" for a table without a chart
    bars: list = field(default_factory=list)  # the SVG geometry
    height: int = 0
    ticks: list = field(default_factory=list)


def _queue(**params) -> str:
    query = {"queue": "all", **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{reverse('casework:queue')}?{urlencode(query)}"


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def build_charts(m: Measures) -> list[Chart]:
    f = m.filters
    scope = {"unit": f.unit_id, "category": f.category, "platform": f.company_id}
    filed = {"date_from": f"{f.start:%Y-%m-%d}", "date_to": f"{f.end:%Y-%m-%d}", **scope}
    count = _("Cases")
    charts = [
        Chart(
            "state",
            _("Open cases by status"),
            _("Cases open now, by their status. Each bar is labelled with its count."),
            [_("Status"), count],
            [
                Row(str(CaseState(state).label), [n], [_queue(state=state, **scope)])
                for state, n in m.open_by_state
            ],
            shape="bars",
        ),
        Chart(
            "category",
            _("Open cases by category"),
            _("Cases open now, by what the complaint is about, largest first."),
            [_("Category"), count],
            [
                Row(
                    str(Category(key).label),
                    [n],
                    [_queue(state="open", **{**scope, "category": key})],
                )
                for key, n in m.open_by_category
            ],
            shape="bars",
        ),
        Chart(
            "company",
            _("Open cases by platform or operator"),
            _("Cases open now that name the company, the twelve with most cases."),
            [_("Platform or operator"), count],
            [
                Row(name, [n], [_queue(state="open", **{**scope, "platform": pk})])
                for pk, name, n in m.open_by_company
            ],
            shape="bars",
        ),
        Chart(
            "street",
            _("Open cases by street and park"),
            _("Cases open now, by the street or park they belong to, largest first."),
            [_("Street or park"), count],
            [
                Row(name, [n], [_queue(state="open", street=pk, **scope)])
                for pk, name, n in m.open_by_street
            ],
            shape="bars",
        ),
        Chart(
            "weeks",
            _("New and resolved cases per week"),
            _(
                "For each week (from Monday) of the period: complaints filed (solid bars) and "
                "cases resolved (hatched bars)."
            ),
            [_("Week from"), _("New"), _("Resolved")],
            [
                Row(
                    f"{monday:%Y-%m-%d}",
                    [new, resolved],
                    [
                        _queue(**{**filed, **_week(monday, f)}),
                        _queue(**scope, **_resolved_week(monday, f)),
                    ],
                )
                for monday, new, resolved in m.weeks
            ],
            shape="weeks",
        ),
        Chart(
            "clocks",
            _("Clock compliance"),
            _(
                "Per kind of clock: clocks closed in the period on time and late, the share met "
                "on time, and clocks overdue now."
            ),
            [_("Clock"), _("Met on time"), _("Met late"), _("Share on time"), _("Overdue now")],
            [
                Row(
                    row.name,
                    [row.met, row.late, row.on_time_share, row.overdue_now],
                    [None, None, None, _queue(queue="overdue", clock=row.key, **scope)],
                )
                for row in m.clocks
            ],
        ),
        _summary(m, filed, scope),
        _money(m, filed, scope),
    ]
    for chart in charts:
        for row in chart.rows:
            row.cells = [
                {"column": column, "shown": shown(value), "link": link}
                for column, value, link in zip(
                    chart.columns[1:], row.values, row.links, strict=True
                )
            ]
        if chart.shape == "bars":
            _bar_geometry(chart)
        elif chart.shape == "weeks":
            _week_geometry(chart)
    return charts


def shown(value) -> str:
    """A number as the table shows it: "—" for no data (nothing to divide by)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value.as_tuple().exponent == -2:
        return f"{value:,.2f}"
    return str(value)


def _week(monday, f) -> dict:
    from datetime import timedelta

    start, end = max(monday, f.start), min(monday + timedelta(days=6), f.end)
    return {"date_from": f"{start:%Y-%m-%d}", "date_to": f"{end:%Y-%m-%d}"}


def _resolved_week(monday, f) -> dict:
    days = _week(monday, f)
    return {"resolved_from": days["date_from"], "resolved_to": days["date_to"]}


def _summary(m: Measures, filed: dict, scope: dict) -> Chart:
    f = m.filters
    resolved = {"resolved_from": f"{f.start:%Y-%m-%d}", "resolved_to": f"{f.end:%Y-%m-%d}"}
    rows = [
        Row(_("Open cases now"), [m.open_total], [_queue(state="open", **scope)]),
        Row(_("New cases in the period"), [m.new_total], [_queue(**filed)]),
        Row(_("Resolved in the period"), [m.resolved_total], [_queue(**scope, **resolved)]),
        Row(
            _("Collective cases filed in the period"),
            [m.collective],
            [_queue(collective=1, **filed)],
        ),
        Row(_("Clocks overdue now"), [m.overdue_now], [_queue(queue="overdue", **scope)]),
        Row(_("Clocks met on time (%)"), [m.on_time_share], [None]),
        Row(_("Days to acceptance, median"), [m.to_acceptance.median], [_queue(**filed)]),
        Row(_("Days to acceptance, 90th percentile"), [m.to_acceptance.p90], [_queue(**filed)]),
        Row(_("Days to resolution, median"), [m.to_resolution.median], [_queue(**filed)]),
        Row(_("Days to resolution, 90th percentile"), [m.to_resolution.p90], [_queue(**filed)]),
        Row(_("Platform response requests"), [m.responses_requested], [None]),
        Row(_("Platform responses given (%)"), [m.response_rate], [None]),
        Row(_("Platform responses on time (%)"), [m.response_on_time_rate], [None]),
    ]
    return Chart(
        "figures",
        _("Figures of the period"),
        _("The period's figures; times in calendar days from filing."),
        [_("Figure"), _("Value")],
        rows,
    )


def _money(m: Measures, filed: dict, scope: dict) -> Chart:
    money = m.money
    link = _queue(**filed)
    return Chart(
        "money",
        _("Money"),
        _(
            "Claimed, verified and agreed on the cases filed in the period; recovered: payments "
            "the worker confirmed, dated in the period; the recovery rate: confirmed payments "
            "on the period's cases against what is owed on them."
        ),
        [_("Figure"), _("Amount (yuan)")],
        [
            Row(_("Claimed"), [money.claimed], [link]),
            Row(_("Verified"), [money.verified], [link]),
            Row(_("Agreed"), [money.agreed], [link]),
            # Payments are found on the employer pages, not in the queue: no case list link.
            Row(_("Recovered (confirmed payments)"), [money.recovered], [None]),
            Row(_("Recovery rate (%)"), [money.recovery_rate], [None]),
        ],
    )


def _bar_geometry(chart: Chart) -> None:
    """Horizontal bars: one per row, its label on the left and its count after the bar."""
    largest = max((row.values[0] or 0 for row in chart.rows), default=0) or 1
    left, right = BAR_AREA
    chart.bars = [
        {
            "y": 10 + index * ROW_HEIGHT,
            "text_y": 10 + index * ROW_HEIGHT + 15,
            "width": max(round((right - left) * (row.values[0] or 0) / largest), 1),
            "value_x": left + max(round((right - left) * (row.values[0] or 0) / largest), 1) + 6,
            "row": row,
        }
        for index, row in enumerate(chart.rows)
    ]
    chart.height = 20 + len(chart.rows) * ROW_HEIGHT


def _week_geometry(chart: Chart) -> None:
    """Pairs of vertical bars per week; a date under every fourth week."""
    top, base = 30, 200
    largest = max((max(row.values) for row in chart.rows), default=0) or 1
    step = (WEEK_WIDTH - 60) / max(len(chart.rows), 1)
    bar = max(step / 2 - 1, 1)
    chart.bars = []
    for index, row in enumerate(chart.rows):
        x = 50 + index * step
        new_h, resolved_h = ((base - top) * v / largest for v in row.values)
        chart.bars.append(
            {
                "x": round(x, 1),
                "x2": round(x + bar, 1),
                "w": round(bar, 1),
                "new_y": round(base - new_h, 1),
                "new_h": round(new_h, 1),
                "res_y": round(base - resolved_h, 1),
                "res_h": round(resolved_h, 1),
                "label": row.label[5:] if index % 4 == 0 else "",
                "row": row,
            }
        )
    chart.ticks = [
        {"y": base - (base - top) * i / 4, "v": round(largest * i / 4)} for i in range(5)
    ]
    chart.height = base + 30
