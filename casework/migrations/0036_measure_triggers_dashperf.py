"""PostgreSQL keeps the statistics page's rollups (casework.supervision.models) in step with
cases, timeline steps, payments and clocks, whatever writes them.

- A case counts on the day it was filed (its amounts now) and in its status's count; an open case once under each company it names; a
  "resolve" step on its day; a confirmed payment on the day it was paid, and on the day its
  case was filed; a clock on the day it closed (met or late), the day it started, and, while
  it runs on an open case, the day it falls due. Each under the case's street and category.
- Changing or deleting any of them takes back what the old row added, then adds the new.
- A case moved to another street or category (or filed day) takes its steps, payments and
  clocks with it; a case that leaves or re-enters the open states moves its running clocks.
- Each figure is kept twice: under the case's category, and under '' (all categories), so
  the page without a category filter reads one row per day and street.
- casework_measures_rebuild() (migration 0037) counts everything afresh (after a bulk load
  that bypassed the triggers, as bench/seed.py's COPY does); it runs once there.

The open states and confirmed payment statuses are written in as they are today: a change to
either needs a migration that recreates these functions.
"""

from django.conf import settings
from django.db import migrations

from arrears.choices import CONFIRMED_STATUSES
from casework.cases.lifecycle import OPEN_STATES


def _list(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def create_sql() -> str:
    zone = settings.TIME_ZONE  # the bureau's day: Asia/Shanghai
    open_states = _list(OPEN_STATES)
    confirmed = _list(CONFIRMED_STATUSES)
    # Constants of our own code only, no input: S608 does not apply.
    return f"""
CREATE OR REPLACE FUNCTION casework_local_day(moment timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT (moment AT TIME ZONE '{zone}')::date $$;

CREATE OR REPLACE FUNCTION casework_measure_add(
    p_day date, p_place bigint, p_category varchar, p_filed int DEFAULT 0,
    p_claimed numeric DEFAULT 0,
    p_verified numeric DEFAULT 0, p_agreed numeric DEFAULT 0, p_owed numeric DEFAULT 0,
    p_resolved int DEFAULT 0, p_recovered numeric DEFAULT 0,
    p_recovered_by_filed numeric DEFAULT 0
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_place IS NULL OR p_day IS NULL THEN
        RETURN;  -- the case is gone
    END IF;
    INSERT INTO casework_measureday AS m (day, jurisdiction_id, category, filed, claimed,
        verified, agreed, owed, resolved, recovered, recovered_by_filed)
    VALUES (p_day, p_place, p_category, p_filed, p_claimed, p_verified, p_agreed, p_owed,
        p_resolved, p_recovered, p_recovered_by_filed)
    ON CONFLICT (category, jurisdiction_id, day) DO UPDATE SET
        filed = m.filed + EXCLUDED.filed,
        claimed = m.claimed + EXCLUDED.claimed,
        verified = m.verified + EXCLUDED.verified,
        agreed = m.agreed + EXCLUDED.agreed,
        owed = m.owed + EXCLUDED.owed,
        resolved = m.resolved + EXCLUDED.resolved,
        recovered = m.recovered + EXCLUDED.recovered,
        recovered_by_filed = m.recovered_by_filed + EXCLUDED.recovered_by_filed;
    IF p_category <> '' THEN  -- and the row of all categories
        PERFORM casework_measure_add(p_day, p_place, '', p_filed, p_claimed, p_verified,
            p_agreed, p_owed, p_resolved, p_recovered, p_recovered_by_filed);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION casework_clock_add(
    p_day date, p_place bigint, p_category varchar, p_rule bigint, p_met int, p_late int,
    p_started int, p_answered int, p_on_time int, p_running int
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_place IS NULL OR p_day IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO casework_clockday AS k (day, jurisdiction_id, category, rule_id, met, late,
        started, answered, answered_on_time, running_due)
    VALUES (p_day, p_place, p_category, p_rule, p_met, p_late, p_started, p_answered,
        p_on_time, p_running)
    ON CONFLICT (category, jurisdiction_id, day, rule_id) DO UPDATE SET
        met = k.met + EXCLUDED.met,
        late = k.late + EXCLUDED.late,
        started = k.started + EXCLUDED.started,
        answered = k.answered + EXCLUDED.answered,
        answered_on_time = k.answered_on_time + EXCLUDED.answered_on_time,
        running_due = k.running_due + EXCLUDED.running_due;
    IF p_category <> '' THEN  -- and the row of all categories
        PERFORM casework_clock_add(p_day, p_place, '', p_rule, p_met, p_late, p_started,
            p_answered, p_on_time, p_running);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION casework_company_add(
    p_company bigint, p_place bigint, p_category varchar, p_cases int
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_place IS NULL OR p_company IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO casework_opencompanycount AS o (company_id, jurisdiction_id, category, cases)
    VALUES (p_company, p_place, p_category, p_cases)
    ON CONFLICT (category, jurisdiction_id, company_id) DO UPDATE SET
        cases = o.cases + EXCLUDED.cases;
    IF p_category <> '' THEN
        PERFORM casework_company_add(p_company, p_place, '', p_cases);
    END IF;
END $$;

-- One clock's contributions (sign +1 or -1) under its case's street, category and status.
CREATE OR REPLACE FUNCTION casework_clock_counted(
    d casework_deadline, p_place bigint, p_category varchar, p_state varchar, sign int
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF d.status IN ('met', 'breached') AND d.closed_at IS NOT NULL THEN
        PERFORM casework_clock_add(casework_local_day(d.closed_at), p_place, p_category,
            d.rule_id, sign * (d.status = 'met')::int, sign * (d.status = 'breached')::int,
            0, 0, 0, 0);
    END IF;
    PERFORM casework_clock_add(d.started_on, p_place, p_category, d.rule_id, 0, 0,
        sign * (d.status <> 'cancelled')::int, sign * (d.status IN ('met', 'breached'))::int,
        sign * (d.status = 'met')::int, 0);
    IF d.status = 'running' AND p_state IN {open_states} THEN
        PERFORM casework_clock_add(d.due_on, p_place, p_category, d.rule_id, 0, 0, 0, 0, 0,
            sign);
    END IF;
END $$;

-- Everything hanging off one case (clocks, companies named, steps, payments), added or
-- taken back (sign)
-- under the given street, category, filed moment and status; clocks_only for a case that
-- only left or re-entered the open states (clocks and companies only).
CREATE OR REPLACE FUNCTION casework_case_dependents(
    p_case bigint, p_filed timestamptz, p_place bigint, p_category varchar, p_state varchar,
    sign int, clocks_only boolean
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r record;
    d casework_deadline;
BEGIN
    FOR d IN SELECT * FROM casework_deadline WHERE case_id = p_case LOOP
        PERFORM casework_clock_counted(d, p_place, p_category, p_state, sign);
    END LOOP;
    IF p_state IN {open_states} THEN
        FOR r IN
            SELECT DISTINCT company_id FROM casework_caseparty
            WHERE case_id = p_case AND company_id IS NOT NULL
        LOOP
            PERFORM casework_company_add(r.company_id, p_place, p_category, sign);
        END LOOP;
    END IF;
    IF clocks_only THEN
        RETURN;
    END IF;
    FOR r IN
        SELECT casework_local_day(created_at) AS day, count(*) AS n FROM casework_caseevent
        WHERE case_id = p_case AND kind = 'transition' AND transition = 'resolve'
        GROUP BY 1
    LOOP
        PERFORM casework_measure_add(r.day, p_place, p_category, p_resolved => (sign * r.n)::int);
    END LOOP;
    FOR r IN
        SELECT paid_on AS day, sum(amount) AS amount FROM arrears_payment
        WHERE case_id = p_case AND status IN {confirmed} GROUP BY 1
    LOOP
        PERFORM casework_measure_add(r.day, p_place, p_category,
            p_recovered => sign * r.amount);
        PERFORM casework_measure_add(casework_local_day(p_filed), p_place, p_category,
            p_recovered_by_filed => sign * r.amount);
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION casework_case_measured() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    moved boolean := false;
    opened boolean := false;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        moved := (OLD.jurisdiction_id, OLD.category, OLD.created_at)
            IS DISTINCT FROM (NEW.jurisdiction_id, NEW.category, NEW.created_at);
        opened := (OLD.state IN {open_states}) <> (NEW.state IN {open_states});
        IF moved OR opened THEN
            PERFORM casework_case_dependents(OLD.id, OLD.created_at, OLD.jurisdiction_id,
                OLD.category, OLD.state, -1, NOT moved);
            PERFORM casework_case_dependents(NEW.id, NEW.created_at, NEW.jurisdiction_id,
                NEW.category, NEW.state, 1, NOT moved);
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM casework_measure_add(casework_local_day(OLD.created_at), OLD.jurisdiction_id,
            OLD.category, p_filed => -1,
            p_claimed => -OLD.amount_claimed,
            p_verified => -COALESCE(OLD.amount_verified, 0),
            p_agreed => -COALESCE(OLD.amount_agreed, 0),
            p_owed => -COALESCE(OLD.amount_agreed, OLD.amount_verified, OLD.amount_claimed));
        UPDATE casework_statecount SET cases = cases - 1
        WHERE jurisdiction_id = OLD.jurisdiction_id AND category = OLD.category
            AND state = OLD.state;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM casework_measure_add(casework_local_day(NEW.created_at), NEW.jurisdiction_id,
            NEW.category, p_filed => 1,
            p_claimed => NEW.amount_claimed,
            p_verified => COALESCE(NEW.amount_verified, 0),
            p_agreed => COALESCE(NEW.amount_agreed, 0),
            p_owed => COALESCE(NEW.amount_agreed, NEW.amount_verified, NEW.amount_claimed));
        INSERT INTO casework_statecount AS s (jurisdiction_id, category, state, cases)
        VALUES (NEW.jurisdiction_id, NEW.category, NEW.state, 1)
        ON CONFLICT (category, jurisdiction_id, state) DO UPDATE SET cases = s.cases + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION casework_step_measured() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kind = 'transition'
       AND OLD.transition = 'resolve' THEN
        SELECT jurisdiction_id, category INTO c FROM casework_case WHERE id = OLD.case_id;
        PERFORM casework_measure_add(casework_local_day(OLD.created_at), c.jurisdiction_id,
            c.category, p_resolved => -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.kind = 'transition'
       AND NEW.transition = 'resolve' THEN
        SELECT jurisdiction_id, category INTO c FROM casework_case WHERE id = NEW.case_id;
        PERFORM casework_measure_add(casework_local_day(NEW.created_at), c.jurisdiction_id,
            c.category, p_resolved => 1);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION casework_payment_measured() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN {confirmed} THEN
        SELECT jurisdiction_id, category, created_at INTO c FROM casework_case
        WHERE id = OLD.case_id;
        PERFORM casework_measure_add(OLD.paid_on, c.jurisdiction_id, c.category,
            p_recovered => -OLD.amount);
        PERFORM casework_measure_add(casework_local_day(c.created_at), c.jurisdiction_id,
            c.category, p_recovered_by_filed => -OLD.amount);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN {confirmed} THEN
        SELECT jurisdiction_id, category, created_at INTO c FROM casework_case
        WHERE id = NEW.case_id;
        PERFORM casework_measure_add(NEW.paid_on, c.jurisdiction_id, c.category,
            p_recovered => NEW.amount);
        PERFORM casework_measure_add(casework_local_day(c.created_at), c.jurisdiction_id,
            c.category, p_recovered_by_filed => NEW.amount);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION casework_clock_measured() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT jurisdiction_id, category, state INTO c FROM casework_case WHERE id = OLD.case_id;
        PERFORM casework_clock_counted(OLD, c.jurisdiction_id, c.category, c.state, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT jurisdiction_id, category, state INTO c FROM casework_case WHERE id = NEW.case_id;
        PERFORM casework_clock_counted(NEW, c.jurisdiction_id, c.category, c.state, 1);
    END IF;
    RETURN NULL;
END $$;

-- A company named on a case counts once per case, however many times it is named.
CREATE OR REPLACE FUNCTION casework_party_measured() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.company_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM casework_caseparty
        WHERE case_id = OLD.case_id AND company_id = OLD.company_id AND id <> OLD.id
    ) THEN
        SELECT jurisdiction_id, category, state INTO c FROM casework_case WHERE id = OLD.case_id;
        IF c.state IN {open_states} THEN
            PERFORM casework_company_add(OLD.company_id, c.jurisdiction_id, c.category, -1);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.company_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM casework_caseparty
        WHERE case_id = NEW.case_id AND company_id = NEW.company_id AND id <> NEW.id
    ) THEN
        SELECT jurisdiction_id, category, state INTO c FROM casework_case WHERE id = NEW.case_id;
        IF c.state IN {open_states} THEN
            PERFORM casework_company_add(NEW.company_id, c.jurisdiction_id, c.category, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER casework_party_measured AFTER INSERT OR UPDATE OR DELETE ON casework_caseparty
FOR EACH ROW EXECUTE FUNCTION casework_party_measured();
CREATE TRIGGER casework_case_measured AFTER INSERT OR DELETE ON casework_case
FOR EACH ROW EXECUTE FUNCTION casework_case_measured();
-- Only the columns the rollups read: most saves touch none of them.
CREATE TRIGGER casework_case_measured_update AFTER UPDATE ON casework_case
FOR EACH ROW WHEN (
    (OLD.jurisdiction_id, OLD.category, OLD.state, OLD.created_at, OLD.amount_claimed,
     OLD.amount_verified, OLD.amount_agreed)
    IS DISTINCT FROM
    (NEW.jurisdiction_id, NEW.category, NEW.state, NEW.created_at, NEW.amount_claimed,
     NEW.amount_verified, NEW.amount_agreed)
) EXECUTE FUNCTION casework_case_measured();
CREATE TRIGGER casework_step_measured AFTER INSERT OR UPDATE OR DELETE ON casework_caseevent
FOR EACH ROW EXECUTE FUNCTION casework_step_measured();
CREATE TRIGGER casework_payment_measured AFTER INSERT OR UPDATE OR DELETE ON arrears_payment
FOR EACH ROW EXECUTE FUNCTION casework_payment_measured();
CREATE TRIGGER casework_clock_measured AFTER INSERT OR UPDATE OR DELETE ON casework_deadline
FOR EACH ROW EXECUTE FUNCTION casework_clock_measured();
"""  # noqa: S608


DROP = """
DROP TRIGGER IF EXISTS casework_party_measured ON casework_caseparty;
DROP TRIGGER IF EXISTS casework_case_measured ON casework_case;
DROP TRIGGER IF EXISTS casework_case_measured_update ON casework_case;
DROP TRIGGER IF EXISTS casework_step_measured ON casework_caseevent;
DROP TRIGGER IF EXISTS casework_payment_measured ON arrears_payment;
DROP TRIGGER IF EXISTS casework_clock_measured ON casework_deadline;
DROP FUNCTION IF EXISTS casework_case_measured();
DROP FUNCTION IF EXISTS casework_party_measured();
DROP FUNCTION IF EXISTS casework_company_add(bigint, bigint, varchar, int);
DROP FUNCTION IF EXISTS casework_step_measured();
DROP FUNCTION IF EXISTS casework_payment_measured();
DROP FUNCTION IF EXISTS casework_clock_measured();
DROP FUNCTION IF EXISTS casework_case_dependents(bigint, timestamptz, bigint, varchar, varchar,
    int, boolean);
DROP FUNCTION IF EXISTS casework_clock_counted(casework_deadline, bigint, varchar, varchar, int);
DROP FUNCTION IF EXISTS casework_clock_add(date, bigint, varchar, bigint, int, int, int, int,
    int, int);
DROP FUNCTION IF EXISTS casework_measure_add(date, bigint, varchar, int, numeric, numeric,
    numeric, numeric, int, numeric, numeric);
DROP FUNCTION IF EXISTS casework_local_day(timestamptz);
"""


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: several statements in one go


def create(apps, schema_editor):
    _run(schema_editor, create_sql())


def drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0035_measure_rollups_dashperf"),
        ("arrears", "0012_ledger2_unverified_claims_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
