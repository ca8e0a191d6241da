"""The response figures, counted by the database: one statement per table on PostgreSQL
(percentile_cont gives the median and p90), two on SQLite (which has no percentile: the
answered requests' times come back and are ranked here, the same way percentile_cont does).

What is counted is the PLATFORM_RESPONSE clock (casework/clocks): each clock is one request
put to the employer, dated by the day it started (the month it belongs to). A request counts
for every company the case names as a party and for each company above it in the chain (a
platform's figures include its operators'), once per company even when the case names two
links of the same chain. Its outcome, as of `today`:

- answered on time: the clock was met on or before its due day; answered late: met after it
  (status "breached"). The clocks' table (casework/clocks/paths.py MET_BY) says what meets a
  response request: the employer's answer recorded (record_response), or the bureau taking the
  case on to mediation or referral while it waited, which ends the wait as well;
- overdue: still running past its due day; open: running (or paused) and not yet due;
- no longer owed: cancelled, the case left the response path without meeting it (in practice
  the worker withdrew the complaint). Neither an answer nor an unanswered request: kept out of
  "requests" so that requests = on time + late + open + overdue, and shown in a column of its
  own so that no clock goes unaccounted.

Time to respond is in working days on the official calendar (casework/clocks/work_calendar.py:
holidays and make-up workdays), from the day the request was made to the Beijing-time day the
clock closed, the same count as `WorkCalendar.working_days_between`: 0 is "the same day". It
is the unit the service level is set in (Company.response_working_days), so a supervisor reads
"median 2, p90 5" straight against the 3 working days owed. Hours would count nights, weekends
and the Spring Festival as the employer's delay, and a clock keeps only the day it started.
"""

import re
from dataclasses import dataclass
from datetime import date
from math import ceil, floor

from django.conf import settings
from django.db import connection
from django.utils import timezone

from casework.cases.models import CaseParty
from casework.clocks.models import CalendarDay, Deadline, DeadlineRule, DeadlineStatus
from platforms.models import Company

RESPONSE_RULE = "PLATFORM_RESPONSE"
ANSWERED = (DeadlineStatus.MET, DeadlineStatus.BREACHED)
_EPOCH_MONDAY = "1970-01-05"  # day numbers count from a Monday: n % 7 >= 5 is a weekend


@dataclass
class Figures:
    requests: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    no_longer_owed: int = 0
    median_days: float | None = None
    p90_days: float | None = None

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def clocks(self) -> int:
        return self.requests + self.no_longer_owed

    @property
    def median_shown(self) -> str:
        return days_shown(self.median_days)

    @property
    def p90_shown(self) -> str:
        return days_shown(self.p90_days)


def days_shown(days: float | None) -> str:
    """Working days as pages and downloads show them: one decimal at most, "" for none."""
    if days is None:
        return ""
    return f"{days:.1f}".removesuffix(".0")


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: linear interpolation between the two nearest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below, above = ordered[floor(position)], ordered[ceil(position)]
    return float(below + (above - below) * (position - floor(position)))


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _sql_pieces(postgres: bool) -> dict[str, str]:
    """The few expressions the two databases spell differently."""
    if postgres:
        zone = settings.TIME_ZONE
        if not re.fullmatch(r"[A-Za-z0-9_/+-]+", zone):  # it goes into the statement's text
            raise ValueError(zone)
        return {
            "day_number": "(({}) - DATE '" + _EPOCH_MONDAY + "')",
            "greatest": "GREATEST",
            "month": "to_char(a.started_on, 'YYYY-MM')",
            "closed_on": f"(d.closed_at AT TIME ZONE '{zone}')::date",
            "date_param": "CAST(%s AS date)",
            "next_day": "day + 1",
        }
    # SQLite keeps UTC text; Beijing has had no daylight saving since 1991: a fixed offset.
    offset = timezone.get_default_timezone().utcoffset(timezone.now().replace(tzinfo=None))
    minutes = int(offset.total_seconds() // 60)
    return {
        "day_number": "CAST(julianday({}) - julianday('" + _EPOCH_MONDAY + "') AS INTEGER)",
        "greatest": "MAX",
        "month": "strftime('%%Y-%%m', a.started_on)",
        "closed_on": f"date(d.closed_at, '{minutes:+d} minutes')",
        "date_param": "%s",
        "next_day": "date(day, '+1 day')",
    }


def _calendar_ctes(pieces: dict[str, str], last: str) -> str:
    """Two CTEs: `calendar`, every day from the date parameter to `last`, and `ordinals`,
    each day with the number of working days up to it on the official calendar (Monday to
    Friday unless CalendarDay says otherwise: holidays, make-up workdays). Working days in
    (start, end] are then ord(end) - ord(start), WorkCalendar.working_days_between's count,
    read with two joins on a table of a few hundred days, not a subquery per request."""
    weekday = f"{pieces['day_number'].format('c.day')} %% 7 < 5"
    return f"""calendar(day) AS (
    SELECT {pieces["date_param"]}
    UNION ALL
    SELECT {pieces["next_day"]} FROM calendar WHERE day < {last}
),
ordinals AS (
    SELECT c.day, SUM(CASE WHEN COALESCE(cd.is_working_day, {weekday}) THEN 1 ELSE 0 END)
        OVER (ORDER BY c.day) AS ord
    FROM calendar c LEFT JOIN {_table(CalendarDay)} cd ON cd.date = c.day
)"""  # noqa: S608


def _statement(*, postgres: bool, all_companies: bool, root_count: int, by_month: bool):
    pieces = _sql_pieces(postgres)
    company, deadline, rule, party = (
        _table(model) for model in (Company, Deadline, DeadlineRule, CaseParty)
    )
    key = connection.ops.quote_name("key")
    roots = "" if all_companies else f" WHERE id IN ({', '.join(['%s'] * root_count)})"
    answered = ", ".join(f"'{status}'" for status in ANSWERED)
    # The text holds only quoted table names, constants and pieces built here; every value
    # (companies, dates, today) is a parameter.
    common = f"""
WITH RECURSIVE chain(top_id, company_id) AS (
    SELECT id, id FROM {company}{roots}
    UNION
    SELECT chain.top_id, c.id FROM {company} c JOIN chain ON c.parent_id = chain.company_id
),
named AS (
    -- Each request once per company above it, even when its case names two of the chain.
    SELECT DISTINCT chain.top_id, d.id AS deadline_id
    FROM {deadline} d
    JOIN {party} p ON p.case_id = d.case_id
    JOIN chain ON chain.company_id = p.company_id
    WHERE d.rule_id = (SELECT id FROM {rule} WHERE {key} = '{RESPONSE_RULE}')
      AND d.started_on >= %s AND d.started_on < %s
),
asked AS (
    SELECT n.top_id, d.started_on, d.due_on, d.status, {pieces["closed_on"]} AS closed_on
    FROM named n JOIN {deadline} d ON d.id = n.deadline_id
),
{_calendar_ctes(pieces, "(SELECT MAX(closed_on) FROM asked)")},
timed AS (
    SELECT a.top_id, a.status, a.due_on,
        {pieces["month"] if by_month else "''"} AS month,
        CASE WHEN a.status IN ({answered}) AND a.closed_on IS NOT NULL
            THEN {pieces["greatest"]}(0, closed.ord - asked_on.ord) END AS days
    FROM asked a
    LEFT JOIN ordinals asked_on ON asked_on.day = a.started_on
    LEFT JOIN ordinals closed ON closed.day = a.closed_on
)"""  # noqa: S608
    running, paused = DeadlineStatus.RUNNING.value, DeadlineStatus.PAUSED.value
    percentiles = (
        ", percentile_cont(0.5) WITHIN GROUP (ORDER BY days)"
        ", percentile_cont(0.9) WITHIN GROUP (ORDER BY days)"
        if postgres
        else ", NULL, NULL"
    )
    counts = f"""{common}
SELECT top_id, month,
    SUM(CASE WHEN status <> '{DeadlineStatus.CANCELLED.value}' THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = '{DeadlineStatus.MET.value}' THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = '{DeadlineStatus.BREACHED.value}' THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = '{paused}' OR (status = '{running}' AND due_on >= %s)
        THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = '{running}' AND due_on < %s THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = '{DeadlineStatus.CANCELLED.value}' THEN 1 ELSE 0 END)
    {percentiles}
FROM timed GROUP BY top_id, month"""  # noqa: S608
    times = None if postgres else f"{common}\nSELECT top_id, month, days FROM timed"
    return counts, times


def count_figures(
    *, root_ids: list[int] | None, start: date, end: date, today: date, by_month: bool
) -> dict[tuple[int, str], Figures]:
    """Figures per (company, "YYYY-MM") for requests made in [start, end), each company's
    including the companies below it; the month is "" unless `by_month`. `root_ids` None:
    every company. Companies without a request in the range are left out."""
    if root_ids is not None and not root_ids:
        return {}
    postgres = connection.vendor == "postgresql"
    counts_sql, times_sql = _statement(
        postgres=postgres,
        all_companies=root_ids is None,
        root_count=len(root_ids or []),
        by_month=by_month,
    )
    base = [*(root_ids or []), start, end, start]  # the last: the calendar's first day
    found: dict[tuple[int, str], Figures] = {}
    with connection.cursor() as cursor:
        cursor.execute(counts_sql, [*base, today, today])
        for top_id, month, *numbers, median, p90 in cursor.fetchall():
            found[(top_id, month)] = Figures(
                *(int(n or 0) for n in numbers),
                median_days=None if median is None else float(median),
                p90_days=None if p90 is None else float(p90),
            )
        if times_sql:
            cursor.execute(times_sql, base)
            answered: dict[tuple[int, str], list[int]] = {}
            for top_id, month, days in cursor.fetchall():
                if days is not None:
                    answered.setdefault((top_id, month), []).append(days)
            for key, values in answered.items():
                found[key].median_days = percentile_cont(values, 0.5)
                found[key].p90_days = percentile_cont(values, 0.9)
    return found


def working_days_in_database(start: date, end: date) -> int:
    """Working days in (start, end] as the figures' statement counts them: tests hold it
    against `WorkCalendar.working_days_between`, across holidays and make-up workdays."""
    pieces = _sql_pieces(connection.vendor == "postgresql")
    ctes = _calendar_ctes(pieces, pieces["date_param"])
    sql = f"""WITH RECURSIVE {ctes}
SELECT {pieces["greatest"]}(0, e.ord - s.ord) FROM ordinals s, ordinals e
WHERE s.day = {pieces["date_param"]} AND e.day = {pieces["date_param"]}"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, start, end])
        return int(cursor.fetchone()[0])
