"""Median and p90 of the days from filing to the first acceptance and to the first
resolution, for the cases filed in a range (read from the case rows: Case.first_accepted_at
and first_resolved_at, kept by the transition service).

On PostgreSQL the database picks the two values each percentile lies between
(percentile_disc over the waits as intervals: one sort, no per-row arithmetic), and Python
interpolates as percentile_cont does, with the same float operations as
platforms.figures.counting.percentile_cont: the figure equals a recount bit for bit. The
number of waits comes from one count. Where the rollups apply (PostgreSQL, no platform
filter), histogram_durations reads a histogram of the waits and a few of their cases instead.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil, floor

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum, Value

from casework.cases.models import Case
from casework.supervision.models import WaitCount
from platforms.figures.counting import percentile_cont

FRACTIONS = (0.5, 0.9)
MEASURES = {
    "to_acceptance": ("a", "first_accepted_at"),
    "to_resolution": ("r", "first_resolved_at"),
}
# The histogram's cells (WaitCount; casework_wait_cell in migration 0037 says the same):
# half hours for the first three days (most acceptances), then six hours (resolutions).
FINE, FINE_CELLS, COARSE = 1800, 144, 21600
DISC_SQL = (
    "SELECT percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY w.accept_wait)"
    " FILTER (WHERE w.accept_wait IS NOT NULL),"
    " percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY w.resolve_wait)"
    " FILTER (WHERE w.resolve_wait IS NOT NULL)"
    " FROM ({inner}) w"
)


@dataclass
class Durations:
    count: int = 0
    median: float | None = None
    p90: float | None = None


def durations(filed: QuerySet) -> dict[str, Durations]:
    """`filed`: the cases filed in the range (in scope). Read from every one of them: where
    the histogram does not apply (SQLite, a platform filter)."""
    waits = (
        filed.filter(Q(first_accepted_at__isnull=False) | Q(first_resolved_at__isnull=False))
        .annotate(
            accept_wait=F("first_accepted_at") - F("created_at"),
            resolve_wait=F("first_resolved_at") - F("created_at"),
        )
        .values("accept_wait", "resolve_wait")
        .order_by()
    )
    if connection.vendor != "postgresql":
        rows = list(waits.values_list("accept_wait", "resolve_wait"))
        return {
            name: _figures([_days(row[index]) for row in rows if row[index] is not None])
            for name, index in (("to_acceptance", 0), ("to_resolution", 1))
        }
    found = filed.aggregate(a=Count("first_accepted_at"), r=Count("first_resolved_at"))
    counts = (found["a"], found["r"])
    ranks = [_ranks(n) for n in counts]
    if not any(ranks):
        return {name: Durations() for name in ("to_acceptance", "to_resolution")}
    inner, params = waits.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            DISC_SQL.format(inner=inner),
            [[(i + 0.5) / n for i in r] for r, n in zip(ranks, counts, strict=True)] + list(params),
        )
        picked = cursor.fetchone()
    return {
        name: _interpolated(n, values or [])
        for name, n, values in zip(("to_acceptance", "to_resolution"), counts, picked, strict=True)
    }


def _ranks(n: int) -> list[int]:
    """The 0-based ranks the percentiles lie between (both neighbours of each)."""
    if not n:
        return []
    ranks = set()
    for fraction in FRACTIONS:
        position = fraction * (n - 1)
        ranks.update((floor(position), ceil(position)))
    return sorted(ranks)


def _interpolated(n: int, values: list[timedelta]) -> Durations:
    if not n:
        return Durations()
    at = dict(zip(_ranks(n), (_days(v) for v in values), strict=True))
    shown = []
    for fraction in FRACTIONS:
        position = fraction * (n - 1)
        below, above = at[floor(position)], at[ceil(position)]
        shown.append(_rounded(float(below + (above - below) * (position - floor(position)))))
    return Durations(n, *shown)


def _figures(days: list[float]) -> Durations:
    return Durations(len(days), *(_rounded(percentile_cont(days, f)) for f in FRACTIONS))


def _days(wait: timedelta) -> float:
    return wait.total_seconds() / 86400


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 1)


def wait_cell(seconds: float) -> int:
    if seconds < FINE * FINE_CELLS:
        return floor(seconds / FINE)
    return FINE_CELLS + floor((seconds - FINE * FINE_CELLS) / COARSE)


def cell_bounds(cell: int) -> tuple[int, int]:
    """The waits (in seconds, from inclusive to exclusive) a cell holds."""
    if cell < FINE_CELLS:
        return cell * FINE, (cell + 1) * FINE
    start = FINE * FINE_CELLS + (cell - FINE_CELLS) * COARSE
    return start, start + COARSE


def histogram_durations(
    territory: set[int], category: str, start: date, end: date, since, until
) -> dict[str, Durations]:
    """The same figures from the waits' histogram (PostgreSQL, no platform filter): count
    per cell over the range (whole months from the monthly rows, the days at either end
    from the daily ones), find the cell of each rank the percentiles need, and read only
    those cells' cases (in wait order, from an index on the wait)."""
    cells: dict[str, dict[int, int]] = defaultdict(dict)
    for measure, cell, n in (
        WaitCount.objects.filter(
            _spans(start, end), jurisdiction_id__in=sorted(territory), category=category
        )
        .values_list("measure", "cell")
        .annotate(n=Sum("cases"))
        .order_by()
    ):
        cells[measure][cell] = n
    # Where each rank lies: (measure, cell) -> [(rank, offset in the cell)].
    wanted: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    totals = {}
    for measure, _column in MEASURES.values():
        counts = sorted((cell, n) for cell, n in cells[measure].items() if n)
        totals[measure] = sum(n for _cell, n in counts)
        for rank in _ranks(totals[measure]):
            before = 0
            for cell, n in counts:
                if rank < before + n:
                    wanted[measure, cell].append((rank, rank - before))
                    break
                before += n
    values = _values_at(wanted, territory, category, since, until)
    return {
        name: _interpolated(
            totals[measure], [values[measure, rank] for rank in _ranks(totals[measure])]
        )
        for name, (measure, _column) in MEASURES.items()
    }


def _values_at(wanted, territory, category, since, until) -> dict[tuple[str, int], timedelta]:
    """The waits at the wanted offsets of their cells, read in one query (a slice of each
    cell in wait order, from the index on the wait)."""
    columns = dict(MEASURES.values())
    slices = []
    for (measure, cell), ranks in wanted.items():
        first = min(offset for _rank, offset in ranks)
        last = max(offset for _rank, offset in ranks)
        in_cell = _cell_waits(columns[measure], cell, territory, category, since, until)
        slices.append(
            in_cell.annotate(measure=Value(measure), cell=Value(cell)).values_list(
                "measure", "cell", "wait"
            )[first : last + 1]
        )
    if not slices:
        return {}
    parts = [part.query.sql_with_params() for part in slices]
    rows = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"({sql})" for sql, _params in parts),
            [param for _sql, params in parts for param in params],
        )
        for measure, cell, wait in cursor.fetchall():
            rows[measure, cell].append(wait)
    values = {}
    for (measure, cell), ranks in wanted.items():
        first = min(offset for _rank, offset in ranks)
        ordered = sorted(rows[measure, cell])  # a union keeps no order across its parts
        for rank, offset in ranks:
            values[measure, rank] = ordered[offset - first]
    return values


def _spans(start: date, end: date) -> Q:
    """The histogram rows that cover the days from start to end: whole months, and days."""
    first_full = start if start.day == 1 else _next_month(start)
    after = end + timedelta(days=1)
    full_until = after.replace(day=1)  # the whole months end before this day
    if first_full >= full_until:  # no whole month inside: days only
        return Q(span="d", start__gte=start, start__lte=end)
    return (
        Q(span="m", start__gte=first_full, start__lt=full_until)
        | Q(span="d", start__gte=start, start__lt=first_full)
        | Q(span="d", start__gte=full_until, start__lte=end)
    )


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _cell_waits(column, cell, territory, category, since, until) -> QuerySet:
    low, high = cell_bounds(cell)
    cases = Case.objects.filter(
        **{f"{column}__isnull": False},
        jurisdiction_id__in=sorted(territory),
        created_at__gte=since,
        created_at__lt=until,
    )
    if category:
        cases = cases.filter(category=category)
    return (
        cases.annotate(wait=F(column) - F("created_at"))
        .filter(wait__gte=timedelta(seconds=low), wait__lt=timedelta(seconds=high))
        .order_by("wait")
        .values_list("wait", flat=True)
    )
