"""The ledger rollup also keeps, per case line and summed per company (and street and team), what
the employer pages show beside the money: payments not confirmed yet, unverified claims,
missed instalments still not paid in full and open payment orders. The pages then read one
rollup row per company, in index order, instead of adding up the cases (45,830 unverified
claims of the largest employer were sorted and summed on every view).

What changes from 0004/0006/0008:
- arrears_ledger_refresh(case) updates a case's lines in place (an upsert, in company order)
  and deletes only the lines of companies the case no longer names: a payment changes one row
  per company, where deleting and inserting every line took each through the worker count,
  the company's total and the street's balance twice.
- arrears_ledgerline_changed adds the difference once when a line changes in place;
  arrears_balance_add takes the line itself, so every summed column follows it.
- Triggers refresh a case when a payment's confirmation or instalment changes, when the sweep
  flags a missed instalment, and when a payment order is issued, missed or complied with.
- arrears_ledger_rebuild() counts the new columns too; it runs once here.

A missed instalment counts while the payments towards it (less their corrections) are below
its amount, as the case's ledger shows it "missed" (arrears.ledger). A line's company never
changes in place: the refresh deletes and inserts lines.
"""

import importlib

from django.db import migrations

# The summed columns, in the order _line_values computes them.
SUMS = ("claimed", "verified", "agreed", "paid", "outstanding", "unconfirmed", "unverified_cases",
        "unverified_claimed", "missed_instalments", "open_orders")  # fmt: skip
UNCONFIRMED = "('awaiting', 'not_received')"  # arrears.choices.UNCONFIRMED_STATUSES

LINE_COLUMNS = "case_id, company_id, jurisdiction_id, team_id, worker_id, " + ", ".join(SUMS)


def _columns(prefix: str = "") -> str:
    return ", ".join(prefix + column for column in SUMS)


def _values(row: str) -> str:
    return ", ".join(f"COALESCE({row}.{column}, 0)" for column in SUMS)


def _set(target: str, plus: str | None, minus: str | None) -> str:
    """`claimed = <target>claimed + COALESCE(plus.claimed, 0) - COALESCE(minus.claimed, 0)`"""
    parts = []
    for column in SUMS:
        expression = f"{target}{column}"
        if plus:
            expression += f" + COALESCE({plus}.{column}, 0)"
        if minus:
            expression += f" - COALESCE({minus}.{column}, 0)"
        parts.append(f"{column} = {expression}")
    return ",\n            ".join(parts)


OWED = "COALESCE(c.amount_agreed, c.amount_verified, c.amount_claimed)"


def _line_values(paid: str, unconfirmed: str, missed: str, orders: str) -> str:
    """The SELECT list of a ledger line from the case `c`, its company `p` and the sums."""
    unverified = "c.amount_verified IS NULL AND c.amount_agreed IS NULL"
    return f"""c.id, p.company_id, c.jurisdiction_id, c.team_id, c.worker_id,
           c.amount_claimed, c.amount_verified, c.amount_agreed, {paid},
           CASE WHEN btrim(c.outstanding_waived, E' \\t\\r\\n') <> '' THEN 0
                ELSE GREATEST({OWED} - {paid}, 0) END,
           {unconfirmed},
           CASE WHEN {unverified} THEN 1 ELSE 0 END,
           CASE WHEN {unverified} THEN c.amount_claimed ELSE 0 END,
           {missed}, {orders}"""


CREATE = f"""
DROP FUNCTION IF EXISTS arrears_balance_add(
    bigint, bigint, bigint, int, numeric, numeric, numeric, numeric, numeric);

CREATE OR REPLACE FUNCTION arrears_ledger_refresh(p_case bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    line record;
BEGIN
    -- Companies the case no longer names (or the case is gone).
    FOR line IN
        SELECT l.id FROM arrears_ledgerline l
        WHERE l.case_id = p_case AND NOT EXISTS (
            SELECT 1 FROM casework_caseparty p JOIN casework_case c ON c.id = p.case_id
            WHERE p.case_id = p_case AND p.company_id = l.company_id)
        ORDER BY l.company_id
    LOOP
        DELETE FROM arrears_ledgerline WHERE id = line.id;
    END LOOP;
    INSERT INTO arrears_ledgerline AS l ({LINE_COLUMNS})
    SELECT {_line_values("paid.total", "paid.unconfirmed", "missed.n", "orders.n")}
    FROM casework_case c
    CROSS JOIN LATERAL (
        SELECT COALESCE(SUM(amount), 0) AS total,
               COALESCE(SUM(amount) FILTER (WHERE status IN {UNCONFIRMED}), 0) AS unconfirmed
        FROM arrears_payment WHERE case_id = c.id
    ) paid
    CROSS JOIN LATERAL (
        SELECT count(*) AS n
        FROM arrears_missedinstalment m JOIN mediation_instalment i ON i.id = m.instalment_id
        WHERE m.case_id = c.id AND i.amount > COALESCE(
            (SELECT SUM(x.amount) FROM arrears_payment x WHERE x.instalment_id = i.id), 0)
    ) missed
    CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM arrears_paymentorder o
        WHERE o.case_id = c.id AND o.status = 'open'
    ) orders
    JOIN (
        SELECT DISTINCT company_id FROM casework_caseparty
        WHERE case_id = p_case AND company_id IS NOT NULL
    ) p ON TRUE
    WHERE c.id = p_case
    ORDER BY p.company_id
    ON CONFLICT (case_id, company_id) DO UPDATE SET
        jurisdiction_id = EXCLUDED.jurisdiction_id, team_id = EXCLUDED.team_id,
        worker_id = EXCLUDED.worker_id,
        {", ".join(f"{column} = EXCLUDED.{column}" for column in SUMS)}
    WHERE (l.jurisdiction_id, l.team_id, l.worker_id, {_columns("l.")})
          IS DISTINCT FROM
          (EXCLUDED.jurisdiction_id, EXCLUDED.team_id, EXCLUDED.worker_id,
           {_columns("EXCLUDED.")});
END $$;

CREATE OR REPLACE FUNCTION arrears_balance_add(p_line arrears_ledgerline, p_sign int)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_sign > 0 THEN
        INSERT INTO arrears_employerbalance AS b
            (company_id, jurisdiction_id, team_id, cases, {_columns()})
        VALUES (p_line.company_id, p_line.jurisdiction_id, p_line.team_id, 1,
                {_values("p_line")})
        ON CONFLICT (company_id, jurisdiction_id, team_id) DO UPDATE SET
            cases = b.cases + 1, {_set("b.", "EXCLUDED", None)};
    ELSE
        -- (An upsert would check the negative row it proposes against cases >= 0.)
        UPDATE arrears_employerbalance SET cases = cases - 1, {_set("", None, "p_line")}
        WHERE company_id = p_line.company_id AND jurisdiction_id = p_line.jurisdiction_id
          AND team_id = p_line.team_id;
        DELETE FROM arrears_employerbalance
        WHERE company_id = p_line.company_id AND jurisdiction_id = p_line.jurisdiction_id
          AND team_id = p_line.team_id AND cases = 0;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION arrears_ledgerline_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    d_workers int := 0;
    sums_changed boolean := false;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.company_id <> NEW.company_id THEN
            RAISE EXCEPTION 'a ledger line keeps its company (delete and insert instead)';
        END IF;
        sums_changed := ({_columns("OLD.")}) IS DISTINCT FROM ({_columns("NEW.")});
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.worker_id <> NEW.worker_id) THEN
        d_workers := d_workers + arrears_worker_count(OLD.company_id, OLD.worker_id, -1);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.worker_id <> NEW.worker_id) THEN
        d_workers := d_workers + arrears_worker_count(NEW.company_id, NEW.worker_id, 1);
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO arrears_employertotal AS t (company_id, cases, workers, {_columns()})
        VALUES (NEW.company_id, 1, d_workers, {_values("NEW")})
        ON CONFLICT (company_id) DO UPDATE SET
            cases = t.cases + 1, workers = t.workers + EXCLUDED.workers,
            {_set("t.", "EXCLUDED", None)};
        PERFORM arrears_balance_add(NEW, 1);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE arrears_employertotal SET
            cases = cases - 1, workers = workers + d_workers, {_set("", None, "OLD")}
        WHERE company_id = OLD.company_id;
        DELETE FROM arrears_employertotal WHERE company_id = OLD.company_id AND cases = 0;
        PERFORM arrears_balance_add(OLD, -1);
    ELSE
        IF sums_changed OR d_workers <> 0 THEN
            UPDATE arrears_employertotal SET
                workers = workers + d_workers, {_set("", "NEW", "OLD")}
            WHERE company_id = NEW.company_id;
        END IF;
        IF (OLD.jurisdiction_id, OLD.team_id) = (NEW.jurisdiction_id, NEW.team_id) THEN
            IF sums_changed THEN
                UPDATE arrears_employerbalance SET {_set("", "NEW", "OLD")}
                WHERE company_id = NEW.company_id AND jurisdiction_id = NEW.jurisdiction_id
                  AND team_id = NEW.team_id;
            END IF;
        ELSE
            PERFORM arrears_balance_add(OLD, -1);
            PERFORM arrears_balance_add(NEW, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION arrears_ledger_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    definitions text[];
    definition text;
BEGIN
    LOCK TABLE arrears_ledgerline, arrears_employerbalance, arrears_employertotal,
        arrears_employerworker IN EXCLUSIVE MODE;
    ALTER TABLE arrears_ledgerline DISABLE TRIGGER arrears_ledgerline_changed;
    TRUNCATE arrears_ledgerline, arrears_employerbalance, arrears_employertotal,
        arrears_employerworker;
    -- Building the secondary indexes afterwards is several times faster than keeping them
    -- up to date row by row (their definitions are read back, so they stay Django's).
    SELECT array_agg(indexdef) INTO definitions FROM pg_indexes
    WHERE tablename = 'arrears_ledgerline' AND indexname IN (
        SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = 'arrears_ledgerline'::regclass
          AND NOT x.indisprimary AND NOT x.indisunique);
    FOR definition IN SELECT unnest(COALESCE(definitions, '{{}}')) LOOP
        EXECUTE 'DROP INDEX ' || split_part(split_part(definition, 'INDEX ', 2), ' ON ', 1);
    END LOOP;
    INSERT INTO arrears_ledgerline ({LINE_COLUMNS})
    SELECT {_line_values(
        "COALESCE(paid.total, 0)",
        "COALESCE(paid.unconfirmed, 0)",
        "COALESCE(missed.n, 0)",
        "COALESCE(orders.n, 0)",
    )}
    FROM (
        SELECT DISTINCT case_id, company_id FROM casework_caseparty
        WHERE company_id IS NOT NULL
    ) p
    JOIN casework_case c ON c.id = p.case_id
    LEFT JOIN (
        SELECT case_id, SUM(amount) AS total,
               SUM(amount) FILTER (WHERE status IN {UNCONFIRMED}) AS unconfirmed
        FROM arrears_payment GROUP BY case_id
    ) paid ON paid.case_id = c.id
    LEFT JOIN (
        SELECT m.case_id, count(*) AS n
        FROM arrears_missedinstalment m JOIN mediation_instalment i ON i.id = m.instalment_id
        LEFT JOIN (
            SELECT instalment_id, SUM(amount) AS total FROM arrears_payment
            WHERE instalment_id IS NOT NULL GROUP BY instalment_id
        ) towards ON towards.instalment_id = i.id
        WHERE i.amount > COALESCE(towards.total, 0)
        GROUP BY m.case_id
    ) missed ON missed.case_id = c.id
    LEFT JOIN (
        SELECT case_id, count(*) AS n FROM arrears_paymentorder WHERE status = 'open'
        GROUP BY case_id
    ) orders ON orders.case_id = c.id
    ORDER BY c.id, p.company_id;
    FOR definition IN SELECT unnest(COALESCE(definitions, '{{}}')) LOOP
        EXECUTE definition;
    END LOOP;
    INSERT INTO arrears_employerworker (company_id, worker_id, lines)
    SELECT company_id, worker_id, count(*) FROM arrears_ledgerline GROUP BY 1, 2;
    INSERT INTO arrears_employerbalance (company_id, jurisdiction_id, team_id, cases, {_columns()})
    SELECT company_id, jurisdiction_id, team_id, count(*),
           {", ".join(f"COALESCE(sum({column}), 0)" for column in SUMS)}
    FROM arrears_ledgerline GROUP BY 1, 2, 3;
    INSERT INTO arrears_employertotal (company_id, cases, workers, {_columns()})
    SELECT company_id, count(*), count(DISTINCT worker_id),
           {", ".join(f"COALESCE(sum({column}), 0)" for column in SUMS)}
    FROM arrears_ledgerline GROUP BY 1;
    ALTER TABLE arrears_ledgerline ENABLE TRIGGER arrears_ledgerline_changed;
END $$;

DROP TRIGGER IF EXISTS arrears_payment_changed ON arrears_payment;
CREATE TRIGGER arrears_payment_changed
AFTER INSERT OR DELETE OR UPDATE OF case_id, amount, status, instalment_id ON arrears_payment
FOR EACH ROW EXECUTE FUNCTION arrears_case_part_changed();

CREATE TRIGGER arrears_missed_changed
AFTER INSERT OR DELETE OR UPDATE OF case_id, instalment_id ON arrears_missedinstalment
FOR EACH ROW EXECUTE FUNCTION arrears_case_part_changed();

CREATE TRIGGER arrears_order_changed
AFTER INSERT OR DELETE OR UPDATE OF case_id, status ON arrears_paymentorder
FOR EACH ROW EXECUTE FUNCTION arrears_case_part_changed();

SELECT arrears_ledger_rebuild();
"""

DROP = """
DROP TRIGGER IF EXISTS arrears_order_changed ON arrears_paymentorder;
DROP TRIGGER IF EXISTS arrears_missed_changed ON arrears_missedinstalment;
DROP FUNCTION IF EXISTS arrears_balance_add(arrears_ledgerline, int);
"""


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: several statements in one go


def forwards(apps, schema_editor):
    _run(schema_editor, CREATE)


def backwards(apps, schema_editor):
    """The functions and triggers as 0004, 0006 and 0008 left them."""
    ledger = importlib.import_module("arrears.migrations.0004_ledger_triggers")
    days = importlib.import_module("arrears.migrations.0006_day_figures_triggers")
    claims = importlib.import_module("arrears.migrations.0008_ledger_recount")
    # The old functions do not name the new columns (dropped right after this): until then
    # they default to 0 in the database.
    defaults = "".join(
        f"ALTER TABLE arrears_{table} ALTER COLUMN {column} SET DEFAULT 0;\n"
        for table in ("ledgerline", "employerbalance", "employertotal")
        for column in SUMS[5:]
    )
    _run(schema_editor, defaults + DROP + ledger.DROP + ledger.CREATE + days.LEDGER_LINE)
    _run(schema_editor, claims._ledger_sql("c.amount_claimed") + "\nSELECT arrears_ledger_rebuild();")


class Migration(migrations.Migration):
    dependencies = [
        ("arrears", "0013_ledger_rollup_extras_ledgerperf"),
        ("mediation", "0005_numbering_help_texts"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
