"""PostgreSQL keeps DayFigures (closed, escalations, recovered per day and street) in step with
timeline events, payments and a case's street, whatever writes them.

- A timeline event that takes a case out of the open states, or an escalation, adds one on its
  day (Beijing time) for the case's street; a payment adds its amount on the day it was paid.
  Deleting or changing them takes the figures back.
- A case moved to another street takes its events and payments with it.
- arrears_day_figures_rebuild() counts everything afresh (after a bulk load that bypassed the
  triggers); it runs once here for existing data.

Also: the ledger line trigger of 0004 no longer touches a company's totals when a line only
moves to another street or team (escalation, collective cases): the sums stay the same.
"""

from django.conf import settings
from django.db import migrations

CONCLUDING = "('resolve', 'refer', 'report_breach', 'decline', 'transfer', 'withdraw')"
COUNTED = f"((kind = 'transition' AND transition IN {CONCLUDING}) OR kind = 'escalated')"


def _when(row: str) -> str:
    return COUNTED.replace("kind", f"{row}.kind").replace("transition IN", f"{row}.transition IN")


SUMS = ("claimed", "verified", "agreed", "paid", "outstanding")


def _plus(prefix: str, source: str, sign: str = "+") -> str:
    return ",\n        ".join(
        f"{column} = {prefix}{column} {sign} COALESCE({source}.{column}, 0)" for column in SUMS
    )


LEDGER_LINE = f"""
CREATE OR REPLACE FUNCTION arrears_ledgerline_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    d_workers int := 0;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'DELETE' OR OLD.worker_id <> NEW.worker_id THEN
            d_workers := d_workers + arrears_worker_count(OLD.company_id, OLD.worker_id, -1);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF TG_OP = 'INSERT' OR OLD.worker_id <> NEW.worker_id THEN
            d_workers := d_workers + arrears_worker_count(NEW.company_id, NEW.worker_id, 1);
        END IF;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO arrears_employertotal AS t
            (company_id, cases, workers, claimed, verified, agreed, paid, outstanding)
        VALUES (NEW.company_id, 1, d_workers, NEW.claimed, COALESCE(NEW.verified, 0),
                COALESCE(NEW.agreed, 0), NEW.paid, NEW.outstanding)
        ON CONFLICT (company_id) DO UPDATE SET
            cases = t.cases + 1, workers = t.workers + EXCLUDED.workers,
            {_plus("t.", "EXCLUDED")};
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE arrears_employertotal SET
            cases = cases - 1, workers = arrears_employertotal.workers + d_workers,
            {_plus("", "OLD", "-")}
        WHERE company_id = OLD.company_id;
        DELETE FROM arrears_employertotal WHERE company_id = OLD.company_id AND cases = 0;
    ELSIF OLD.company_id <> NEW.company_id
       OR (OLD.claimed, OLD.verified, OLD.agreed, OLD.paid, OLD.outstanding)
          IS DISTINCT FROM (NEW.claimed, NEW.verified, NEW.agreed, NEW.paid, NEW.outstanding)
    THEN
        UPDATE arrears_employertotal SET
            workers = arrears_employertotal.workers + d_workers,
            {_plus("", "NEW")}
        WHERE company_id = NEW.company_id;
        UPDATE arrears_employertotal SET {_plus("", "OLD", "-")}
        WHERE company_id = OLD.company_id;
    ELSIF d_workers <> 0 THEN
        -- Moved to another street, team or worker: the company's sums stay.
        UPDATE arrears_employertotal SET workers = workers + d_workers
        WHERE company_id = NEW.company_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM arrears_balance_add(
            OLD.company_id, OLD.jurisdiction_id, OLD.team_id, -1, -OLD.claimed, -OLD.verified,
            -OLD.agreed, -OLD.paid, -OLD.outstanding);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM arrears_balance_add(
            NEW.company_id, NEW.jurisdiction_id, NEW.team_id, 1, NEW.claimed, NEW.verified,
            NEW.agreed, NEW.paid, NEW.outstanding);
    END IF;
    RETURN NULL;
END $$;
"""


def create_sql() -> str:
    zone = settings.TIME_ZONE  # the bureau's day: Asia/Shanghai
    return f"""
CREATE OR REPLACE FUNCTION arrears_day_add(
    p_day date, p_place bigint, p_closed int, p_escalations int, p_recovered numeric
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_place IS NULL THEN
        RETURN;  -- the case is gone
    END IF;
    INSERT INTO arrears_dayfigures AS f (day, jurisdiction_id, closed, escalations, recovered)
    VALUES (p_day, p_place, p_closed, p_escalations, p_recovered)
    ON CONFLICT (jurisdiction_id, day) DO UPDATE SET
        closed = f.closed + EXCLUDED.closed,
        escalations = f.escalations + EXCLUDED.escalations,
        recovered = f.recovered + EXCLUDED.recovered;
END $$;

CREATE OR REPLACE FUNCTION arrears_event_counted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    place bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND {_when("OLD")} THEN
        SELECT jurisdiction_id INTO place FROM casework_case WHERE id = OLD.case_id;
        PERFORM arrears_day_add(
            (OLD.created_at AT TIME ZONE '{zone}')::date, place,
            -(OLD.kind = 'transition')::int, -(OLD.kind = 'escalated')::int, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND {_when("NEW")} THEN
        SELECT jurisdiction_id INTO place FROM casework_case WHERE id = NEW.case_id;
        PERFORM arrears_day_add(
            (NEW.created_at AT TIME ZONE '{zone}')::date, place,
            (NEW.kind = 'transition')::int, (NEW.kind = 'escalated')::int, 0);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION arrears_payment_counted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    place bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT jurisdiction_id INTO place FROM casework_case WHERE id = OLD.case_id;
        PERFORM arrears_day_add(OLD.paid_on, place, 0, 0, -OLD.amount);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT jurisdiction_id INTO place FROM casework_case WHERE id = NEW.case_id;
        PERFORM arrears_day_add(NEW.paid_on, place, 0, 0, NEW.amount);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION arrears_case_moved_street() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    d record;
BEGIN
    FOR d IN
        SELECT day, sum(closed)::int AS closed, sum(escalations)::int AS escalations,
               sum(recovered) AS recovered
        FROM (
            SELECT (created_at AT TIME ZONE '{zone}')::date AS day,
                   (kind = 'transition')::int AS closed, (kind = 'escalated')::int AS escalations,
                   0::numeric AS recovered
            FROM casework_caseevent WHERE case_id = NEW.id AND {COUNTED}
            UNION ALL
            SELECT paid_on, 0, 0, amount FROM arrears_payment WHERE case_id = NEW.id
        ) figures
        GROUP BY day ORDER BY day
    LOOP
        PERFORM arrears_day_add(d.day, OLD.jurisdiction_id, -d.closed, -d.escalations,
                                -d.recovered);
        PERFORM arrears_day_add(d.day, NEW.jurisdiction_id, d.closed, d.escalations,
                                d.recovered);
    END LOOP;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION arrears_day_figures_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE arrears_dayfigures IN EXCLUSIVE MODE;
    TRUNCATE arrears_dayfigures;
    INSERT INTO arrears_dayfigures (day, jurisdiction_id, closed, escalations, recovered)
    SELECT day, jurisdiction_id, sum(closed), sum(escalations), sum(recovered)
    FROM (
        SELECT (e.created_at AT TIME ZONE '{zone}')::date AS day, c.jurisdiction_id,
               (e.kind = 'transition')::int AS closed, (e.kind = 'escalated')::int AS escalations,
               0::numeric AS recovered
        FROM casework_caseevent e JOIN casework_case c ON c.id = e.case_id
        WHERE {COUNTED.replace("kind", "e.kind").replace("transition IN", "e.transition IN")}
        UNION ALL
        SELECT p.paid_on, c.jurisdiction_id, 0, 0, p.amount
        FROM arrears_payment p JOIN casework_case c ON c.id = p.case_id
    ) figures
    GROUP BY day, jurisdiction_id;
END $$;

CREATE TRIGGER arrears_event_added AFTER INSERT ON casework_caseevent
FOR EACH ROW WHEN {_when("NEW")} EXECUTE FUNCTION arrears_event_counted();
CREATE TRIGGER arrears_event_removed AFTER DELETE ON casework_caseevent
FOR EACH ROW WHEN {_when("OLD")} EXECUTE FUNCTION arrears_event_counted();
CREATE TRIGGER arrears_event_changed
AFTER UPDATE OF case_id, kind, transition, created_at ON casework_caseevent
FOR EACH ROW EXECUTE FUNCTION arrears_event_counted();

CREATE TRIGGER arrears_payment_counted
AFTER INSERT OR DELETE OR UPDATE OF case_id, amount, paid_on ON arrears_payment
FOR EACH ROW EXECUTE FUNCTION arrears_payment_counted();

CREATE TRIGGER arrears_case_moved_street AFTER UPDATE OF jurisdiction_id ON casework_case
FOR EACH ROW WHEN (OLD.jurisdiction_id IS DISTINCT FROM NEW.jurisdiction_id)
EXECUTE FUNCTION arrears_case_moved_street();

SELECT arrears_day_figures_rebuild();
"""


DROP = """
DROP TRIGGER IF EXISTS arrears_case_moved_street ON casework_case;
DROP TRIGGER IF EXISTS arrears_payment_counted ON arrears_payment;
DROP TRIGGER IF EXISTS arrears_event_changed ON casework_caseevent;
DROP TRIGGER IF EXISTS arrears_event_removed ON casework_caseevent;
DROP TRIGGER IF EXISTS arrears_event_added ON casework_caseevent;
DROP FUNCTION IF EXISTS arrears_day_figures_rebuild();
DROP FUNCTION IF EXISTS arrears_case_moved_street();
DROP FUNCTION IF EXISTS arrears_payment_counted();
DROP FUNCTION IF EXISTS arrears_event_counted();
DROP FUNCTION IF EXISTS arrears_day_add(date, bigint, int, int, numeric);
"""
# (Going back leaves the faster ledger line function of this migration in place: it gives
# the same sums as 0004's.)


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: several statements in one go


def create(apps, schema_editor):
    _run(schema_editor, LEDGER_LINE + create_sql())


def drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("arrears", "0005_day_figures")]

    operations = [migrations.RunPython(create, drop)]
