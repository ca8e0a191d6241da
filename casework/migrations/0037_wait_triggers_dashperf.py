"""PostgreSQL keeps the waits' histogram (casework.supervision.models.WaitCount) in step with
the cases, and indexes each wait so that the cases of one cell are read in order.

- A case that has been accepted (resolved) counts once in the cell of its wait, on the day
  and in the month it was filed, under its street and category and under "" (all).
- Changing or deleting a case takes back what the old row added, then adds the new.
- casework_waits_rebuild() and casework_measures_rebuild() (the rollups of 0036) count
  everything afresh (after a bulk load that bypassed the triggers, as bench/seed.py's COPY
  does); both run once here for existing data.
- The cells: casework_wait_cell here and waits.wait_cell/cell_bounds in Python agree.
"""

from django.conf import settings
from django.db import migrations

from arrears.choices import CONFIRMED_STATUSES
from casework.cases.lifecycle import OPEN_STATES


def _list(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def create_sql() -> str:
    zone = settings.TIME_ZONE
    open_states = _list(OPEN_STATES)
    confirmed = _list(CONFIRMED_STATUSES)
    return f"""
-- The rollups of migration 0036 counted afresh from the rows.
CREATE OR REPLACE FUNCTION casework_measures_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE casework_measureday, casework_clockday, casework_statecount,
        casework_opencompanycount;
    INSERT INTO casework_opencompanycount (company_id, jurisdiction_id, category, cases)
    SELECT p.company_id, c.jurisdiction_id, c.category, count(DISTINCT c.id)
    FROM casework_caseparty p JOIN casework_case c ON c.id = p.case_id
    WHERE p.company_id IS NOT NULL AND c.state IN {open_states}
    GROUP BY 1, 2, 3;
    INSERT INTO casework_opencompanycount (company_id, jurisdiction_id, category, cases)
    SELECT company_id, jurisdiction_id, '', sum(cases) FROM casework_opencompanycount
    GROUP BY 1, 2;
    INSERT INTO casework_statecount (jurisdiction_id, category, state, cases)
    SELECT jurisdiction_id, category, state, count(*) FROM casework_case GROUP BY 1, 2, 3;
    INSERT INTO casework_measureday (day, jurisdiction_id, category, filed, claimed, verified,
        agreed, owed, resolved, recovered, recovered_by_filed)
    SELECT day, place, category, sum(filed), sum(claimed), sum(verified), sum(agreed),
        sum(owed), sum(resolved), sum(recovered), sum(recovered_by_filed)
    FROM (
        SELECT casework_local_day(created_at) AS day, jurisdiction_id AS place, category,
            count(*) AS filed, sum(amount_claimed) AS claimed,
            sum(COALESCE(amount_verified, 0)) AS verified,
            sum(COALESCE(amount_agreed, 0)) AS agreed,
            sum(COALESCE(amount_agreed, amount_verified, amount_claimed)) AS owed,
            0 AS resolved, 0 AS recovered, 0 AS recovered_by_filed
        FROM casework_case GROUP BY 1, 2, 3
        UNION ALL
        SELECT casework_local_day(e.created_at), c.jurisdiction_id, c.category, 0, 0, 0, 0, 0,
            count(*), 0, 0
        FROM casework_caseevent e JOIN casework_case c ON c.id = e.case_id
        WHERE e.kind = 'transition' AND e.transition = 'resolve' GROUP BY 1, 2, 3
        UNION ALL
        SELECT p.paid_on, c.jurisdiction_id, c.category, 0, 0, 0, 0, 0, 0, sum(p.amount), 0
        FROM arrears_payment p JOIN casework_case c ON c.id = p.case_id
        WHERE p.status IN {confirmed} GROUP BY 1, 2, 3
        UNION ALL
        SELECT casework_local_day(c.created_at), c.jurisdiction_id, c.category, 0, 0, 0, 0, 0,
            0, 0, sum(p.amount)
        FROM arrears_payment p JOIN casework_case c ON c.id = p.case_id
        WHERE p.status IN {confirmed} GROUP BY 1, 2, 3
    ) parts
    GROUP BY 1, 2, 3;
    INSERT INTO casework_measureday (day, jurisdiction_id, category, filed, claimed, verified,
        agreed, owed, resolved, recovered, recovered_by_filed)
    SELECT day, jurisdiction_id, '', sum(filed), sum(claimed), sum(verified), sum(agreed),
        sum(owed), sum(resolved), sum(recovered), sum(recovered_by_filed)
    FROM casework_measureday GROUP BY 1, 2;
    INSERT INTO casework_clockday (day, jurisdiction_id, category, rule_id, met, late, started,
        answered, answered_on_time, running_due)
    SELECT day, place, category, rule_id, sum(met), sum(late), sum(started), sum(answered),
        sum(on_time), sum(running)
    FROM (
        SELECT casework_local_day(d.closed_at) AS day, c.jurisdiction_id AS place, c.category,
            d.rule_id, count(*) FILTER (WHERE d.status = 'met') AS met,
            count(*) FILTER (WHERE d.status = 'breached') AS late, 0 AS started,
            0 AS answered, 0 AS on_time, 0 AS running
        FROM casework_deadline d JOIN casework_case c ON c.id = d.case_id
        WHERE d.status IN ('met', 'breached') AND d.closed_at IS NOT NULL
        GROUP BY 1, 2, 3, 4
        UNION ALL
        SELECT d.started_on, c.jurisdiction_id, c.category, d.rule_id, 0, 0,
            count(*) FILTER (WHERE d.status <> 'cancelled'),
            count(*) FILTER (WHERE d.status IN ('met', 'breached')),
            count(*) FILTER (WHERE d.status = 'met'), 0
        FROM casework_deadline d JOIN casework_case c ON c.id = d.case_id
        GROUP BY 1, 2, 3, 4
        UNION ALL
        SELECT d.due_on, c.jurisdiction_id, c.category, d.rule_id, 0, 0, 0, 0, 0, count(*)
        FROM casework_deadline d JOIN casework_case c ON c.id = d.case_id
        WHERE d.status = 'running' AND c.state IN {open_states}
        GROUP BY 1, 2, 3, 4
    ) parts
    GROUP BY 1, 2, 3, 4;
    INSERT INTO casework_clockday (day, jurisdiction_id, category, rule_id, met, late, started,
        answered, answered_on_time, running_due)
    SELECT day, jurisdiction_id, '', rule_id, sum(met), sum(late), sum(started), sum(answered),
        sum(answered_on_time), sum(running_due)
    FROM casework_clockday GROUP BY 1, 2, 4;
END $$;

-- Half hours for the first three days, then six hours (waits.wait_cell).
CREATE OR REPLACE FUNCTION casework_wait_cell(w interval) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN EXTRACT(EPOCH FROM w) < 259200
        THEN floor(EXTRACT(EPOCH FROM w) / 1800)::int
        ELSE 144 + floor((EXTRACT(EPOCH FROM w) - 259200) / 21600)::int END
$$;

CREATE OR REPLACE FUNCTION casework_wait_add(
    p_filed timestamptz, p_place bigint, p_category varchar, p_measure varchar,
    p_wait interval, p_sign int
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    filed_on date := (p_filed AT TIME ZONE '{zone}')::date;
    w_cell int := casework_wait_cell(p_wait);
    s record;
BEGIN
    IF p_wait IS NULL OR p_place IS NULL THEN
        RETURN;
    END IF;
    FOR s IN
        SELECT * FROM (VALUES ('d', filed_on), ('m', date_trunc('month', filed_on)::date))
            AS spans (span, start)
        CROSS JOIN (VALUES (p_category), ('')) AS categories (category)
    LOOP
        INSERT INTO casework_waitcount AS k (span, start, jurisdiction_id, category, measure,
            cell, cases)
        VALUES (s.span, s.start, p_place, s.category, p_measure, w_cell, p_sign)
        ON CONFLICT (category, span, jurisdiction_id, start, measure, cell) DO UPDATE SET
            cases = k.cases + EXCLUDED.cases;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION casework_case_waited() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM casework_wait_add(OLD.created_at, OLD.jurisdiction_id, OLD.category, 'a',
            OLD.first_accepted_at - OLD.created_at, -1);
        PERFORM casework_wait_add(OLD.created_at, OLD.jurisdiction_id, OLD.category, 'r',
            OLD.first_resolved_at - OLD.created_at, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM casework_wait_add(NEW.created_at, NEW.jurisdiction_id, NEW.category, 'a',
            NEW.first_accepted_at - NEW.created_at, 1);
        PERFORM casework_wait_add(NEW.created_at, NEW.jurisdiction_id, NEW.category, 'r',
            NEW.first_resolved_at - NEW.created_at, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER casework_case_waited AFTER INSERT OR DELETE ON casework_case
FOR EACH ROW EXECUTE FUNCTION casework_case_waited();
CREATE TRIGGER casework_case_waited_update AFTER UPDATE ON casework_case
FOR EACH ROW WHEN (
    (OLD.jurisdiction_id, OLD.category, OLD.created_at, OLD.first_accepted_at,
     OLD.first_resolved_at)
    IS DISTINCT FROM
    (NEW.jurisdiction_id, NEW.category, NEW.created_at, NEW.first_accepted_at,
     NEW.first_resolved_at)
) EXECUTE FUNCTION casework_case_waited();

CREATE OR REPLACE FUNCTION casework_waits_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE casework_waitcount;
    WITH waits AS (
        SELECT (created_at AT TIME ZONE '{zone}')::date AS filed_on, jurisdiction_id, category,
            'a' AS measure, casework_wait_cell(first_accepted_at - created_at) AS cell
        FROM casework_case WHERE first_accepted_at IS NOT NULL
        UNION ALL
        SELECT (created_at AT TIME ZONE '{zone}')::date, jurisdiction_id, category, 'r',
            casework_wait_cell(first_resolved_at - created_at)
        FROM casework_case WHERE first_resolved_at IS NOT NULL
    ), by_day AS (
        SELECT filed_on, jurisdiction_id, category, measure, cell, count(*) AS cases
        FROM waits GROUP BY 1, 2, 3, 4, 5
    )
    INSERT INTO casework_waitcount (span, start, jurisdiction_id, category, measure, cell,
        cases)
    SELECT 'd', filed_on, jurisdiction_id, category, measure, cell, cases FROM by_day
    UNION ALL
    SELECT 'm', date_trunc('month', filed_on)::date, jurisdiction_id, category, measure,
        cell, sum(cases)
    FROM by_day GROUP BY 2, 3, 4, 5, 6;
    INSERT INTO casework_waitcount (span, start, jurisdiction_id, category, measure, cell,
        cases)
    SELECT span, start, jurisdiction_id, '', measure, cell, sum(cases)
    FROM casework_waitcount GROUP BY 1, 2, 3, 5, 6;
END $$;

-- One cell's cases in the order of their wait (waits.py reads the values it needs there).
CREATE INDEX IF NOT EXISTS case_accept_wait ON casework_case
    ((first_accepted_at - created_at))
    INCLUDE (jurisdiction_id, created_at, category, first_accepted_at)
    WHERE first_accepted_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS case_resolve_wait ON casework_case
    ((first_resolved_at - created_at))
    INCLUDE (jurisdiction_id, created_at, category, first_resolved_at)
    WHERE first_resolved_at IS NOT NULL;
"""  # noqa: S608


DROP = """
DROP TRIGGER IF EXISTS casework_case_waited ON casework_case;
DROP TRIGGER IF EXISTS casework_case_waited_update ON casework_case;
DROP FUNCTION IF EXISTS casework_waits_rebuild();
DROP FUNCTION IF EXISTS casework_measures_rebuild();
DROP FUNCTION IF EXISTS casework_case_waited();
DROP FUNCTION IF EXISTS casework_wait_add(timestamptz, bigint, varchar, varchar, interval, int);
DROP INDEX IF EXISTS case_accept_wait;
DROP INDEX IF EXISTS case_resolve_wait;
DROP FUNCTION IF EXISTS casework_wait_cell(interval);
"""


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: several statements in one go


def create(apps, schema_editor):
    _run(
        schema_editor,
        create_sql() + "SELECT casework_measures_rebuild(); SELECT casework_waits_rebuild();",
    )


def drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("casework", "0036_measure_triggers_dashperf")]

    operations = [migrations.RunPython(create, drop)]
