"""PostgreSQL keeps the ledger rollup (LedgerLine, EmployerBalance, EmployerTotal,
EmployerWorker) in step with cases, parties and payments, whatever writes them.

- A case's ledger lines (one per company it names) are recomputed when its parties, its
  payments or its amounts change; when only its street, team or worker changes (escalation,
  collective cases), the lines are moved in place, which is cheaper.
- Each line added, moved or removed adjusts the sums of its company: per street and team
  (EmployerBalance), company-wide (EmployerTotal), and the distinct workers through a count of
  lines per company and worker (EmployerWorker).
- arrears_ledger_rebuild() recomputes everything from the cases (after a bulk load that
  bypassed the triggers, or to check the sums): it runs once here for existing data.

Lock order inside a transaction: lines in company order; per line the worker row, then the
company-wide row, then the street/team row. SQLite (the embedded default) has none of this:
the selectors add up the cases themselves there.
"""

from django.db import migrations

SUMS = ("claimed", "verified", "agreed", "paid", "outstanding")


def _plus(prefix: str, source: str, sign: str = "+") -> str:
    """`claimed = t.claimed + NEW.claimed, ...` (verified and agreed may be NULL on a line)."""
    return ",\n        ".join(
        f"{column} = {prefix}{column} {sign} COALESCE({source}.{column}, 0)" for column in SUMS
    )


OUTSTANDING = """CASE WHEN btrim(c.outstanding_waived, E' \\t\\r\\n') <> '' THEN 0
             ELSE GREATEST(COALESCE(c.amount_agreed, c.amount_verified, 0) - {paid}, 0) END"""

CREATE = f"""
CREATE OR REPLACE FUNCTION arrears_ledger_refresh(p_case bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    line record;
BEGIN
    FOR line IN SELECT id FROM arrears_ledgerline WHERE case_id = p_case ORDER BY company_id LOOP
        DELETE FROM arrears_ledgerline WHERE id = line.id;
    END LOOP;
    INSERT INTO arrears_ledgerline
        (case_id, company_id, jurisdiction_id, team_id, worker_id,
         claimed, verified, agreed, paid, outstanding)
    SELECT c.id, p.company_id, c.jurisdiction_id, c.team_id, c.worker_id,
           c.amount_claimed, c.amount_verified, c.amount_agreed, paid.total,
           {OUTSTANDING.format(paid="paid.total")}
    FROM casework_case c
    CROSS JOIN LATERAL (
        SELECT COALESCE(SUM(amount), 0) AS total FROM arrears_payment WHERE case_id = c.id
    ) paid
    JOIN (
        SELECT DISTINCT company_id FROM casework_caseparty
        WHERE case_id = p_case AND company_id IS NOT NULL
    ) p ON TRUE
    WHERE c.id = p_case
    ORDER BY p.company_id;
END $$;

CREATE OR REPLACE FUNCTION arrears_worker_count(p_company bigint, p_worker bigint, p_step int)
RETURNS int LANGUAGE plpgsql AS $$
-- Adds p_step to the lines linking worker and company; returns the change in the company's
-- distinct workers (+1 for a first line, -1 for a last one, else 0).
DECLARE
    n_lines int;
BEGIN
    IF p_step > 0 THEN
        INSERT INTO arrears_employerworker AS w (company_id, worker_id, lines)
        VALUES (p_company, p_worker, p_step)
        ON CONFLICT (company_id, worker_id) DO UPDATE SET lines = w.lines + p_step
        RETURNING w.lines INTO n_lines;
    ELSE
        UPDATE arrears_employerworker SET lines = lines + p_step
        WHERE company_id = p_company AND worker_id = p_worker
        RETURNING lines INTO n_lines;
    END IF;
    IF n_lines = 0 THEN
        DELETE FROM arrears_employerworker WHERE company_id = p_company AND worker_id = p_worker;
        RETURN -1;
    END IF;
    RETURN CASE WHEN p_step > 0 AND n_lines = p_step THEN 1 ELSE 0 END;
END $$;

CREATE OR REPLACE FUNCTION arrears_balance_add(
    p_company bigint, p_jurisdiction bigint, p_team bigint, p_cases int,
    p_claimed numeric, p_verified numeric, p_agreed numeric, p_paid numeric,
    p_outstanding numeric
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_cases > 0 THEN
        INSERT INTO arrears_employerbalance AS b
            (company_id, jurisdiction_id, team_id, cases,
             claimed, verified, agreed, paid, outstanding)
        VALUES (p_company, p_jurisdiction, p_team, p_cases, p_claimed, COALESCE(p_verified, 0),
                COALESCE(p_agreed, 0), p_paid, p_outstanding)
        ON CONFLICT (company_id, jurisdiction_id, team_id) DO UPDATE SET
            cases = b.cases + EXCLUDED.cases, {_plus("b.", "EXCLUDED")};
    ELSE
        -- (An upsert would check the negative row it proposes against cases >= 0.)
        UPDATE arrears_employerbalance SET
            cases = cases + p_cases, claimed = claimed + p_claimed,
            verified = verified + COALESCE(p_verified, 0),
            agreed = agreed + COALESCE(p_agreed, 0), paid = paid + p_paid,
            outstanding = outstanding + p_outstanding
        WHERE company_id = p_company AND jurisdiction_id = p_jurisdiction AND team_id = p_team;
        DELETE FROM arrears_employerbalance
        WHERE company_id = p_company AND jurisdiction_id = p_jurisdiction AND team_id = p_team
          AND cases = 0;
    END IF;
END $$;

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
    ELSE
        UPDATE arrears_employertotal SET
            workers = arrears_employertotal.workers + d_workers,
            {_plus("", "NEW")}
        WHERE company_id = NEW.company_id;
        UPDATE arrears_employertotal SET {_plus("", "OLD", "-")}
        WHERE company_id = OLD.company_id;
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

CREATE OR REPLACE FUNCTION arrears_case_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    line record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM arrears_ledger_refresh(OLD.id);
    ELSIF OLD.amount_claimed IS DISTINCT FROM NEW.amount_claimed
       OR OLD.amount_verified IS DISTINCT FROM NEW.amount_verified
       OR OLD.amount_agreed IS DISTINCT FROM NEW.amount_agreed
       OR OLD.outstanding_waived IS DISTINCT FROM NEW.outstanding_waived THEN
        PERFORM arrears_ledger_refresh(NEW.id);
    ELSE
        -- Only who sees it changed (street, team, worker): move the lines.
        FOR line IN
            SELECT id FROM arrears_ledgerline WHERE case_id = NEW.id ORDER BY company_id
        LOOP
            UPDATE arrears_ledgerline
            SET jurisdiction_id = NEW.jurisdiction_id, team_id = NEW.team_id,
                worker_id = NEW.worker_id
            WHERE id = line.id;
        END LOOP;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION arrears_case_part_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM arrears_ledger_refresh(OLD.case_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.case_id <> OLD.case_id) THEN
        PERFORM arrears_ledger_refresh(NEW.case_id);
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
    INSERT INTO arrears_ledgerline
        (case_id, company_id, jurisdiction_id, team_id, worker_id,
         claimed, verified, agreed, paid, outstanding)
    SELECT c.id, p.company_id, c.jurisdiction_id, c.team_id, c.worker_id,
           c.amount_claimed, c.amount_verified, c.amount_agreed, COALESCE(paid.total, 0),
           {OUTSTANDING.format(paid="COALESCE(paid.total, 0)")}
    FROM (
        SELECT DISTINCT case_id, company_id FROM casework_caseparty
        WHERE company_id IS NOT NULL
    ) p
    JOIN casework_case c ON c.id = p.case_id
    LEFT JOIN (
        SELECT case_id, SUM(amount) AS total FROM arrears_payment GROUP BY case_id
    ) paid ON paid.case_id = c.id
    ORDER BY c.id, p.company_id;
    FOR definition IN SELECT unnest(COALESCE(definitions, '{{}}')) LOOP
        EXECUTE definition;
    END LOOP;
    INSERT INTO arrears_employerworker (company_id, worker_id, lines)
    SELECT company_id, worker_id, count(*) FROM arrears_ledgerline GROUP BY 1, 2;
    INSERT INTO arrears_employerbalance
        (company_id, jurisdiction_id, team_id, cases,
         claimed, verified, agreed, paid, outstanding)
    SELECT company_id, jurisdiction_id, team_id, count(*), sum(claimed),
           COALESCE(sum(verified), 0), COALESCE(sum(agreed), 0), sum(paid), sum(outstanding)
    FROM arrears_ledgerline GROUP BY 1, 2, 3;
    INSERT INTO arrears_employertotal
        (company_id, cases, workers, claimed, verified, agreed, paid, outstanding)
    SELECT company_id, count(*), count(DISTINCT worker_id), sum(claimed),
           COALESCE(sum(verified), 0), COALESCE(sum(agreed), 0), sum(paid), sum(outstanding)
    FROM arrears_ledgerline GROUP BY 1;
    ALTER TABLE arrears_ledgerline ENABLE TRIGGER arrears_ledgerline_changed;
END $$;

CREATE TRIGGER arrears_ledgerline_changed
AFTER INSERT OR UPDATE OR DELETE ON arrears_ledgerline
FOR EACH ROW EXECUTE FUNCTION arrears_ledgerline_changed();

CREATE TRIGGER arrears_case_changed
AFTER UPDATE OF jurisdiction_id, team_id, worker_id, amount_claimed, amount_verified,
    amount_agreed, outstanding_waived
ON casework_case FOR EACH ROW
WHEN (OLD.jurisdiction_id IS DISTINCT FROM NEW.jurisdiction_id
   OR OLD.team_id IS DISTINCT FROM NEW.team_id
   OR OLD.worker_id IS DISTINCT FROM NEW.worker_id
   OR OLD.amount_claimed IS DISTINCT FROM NEW.amount_claimed
   OR OLD.amount_verified IS DISTINCT FROM NEW.amount_verified
   OR OLD.amount_agreed IS DISTINCT FROM NEW.amount_agreed
   OR OLD.outstanding_waived IS DISTINCT FROM NEW.outstanding_waived)
EXECUTE FUNCTION arrears_case_changed();

CREATE TRIGGER arrears_case_deleted
AFTER DELETE ON casework_case FOR EACH ROW EXECUTE FUNCTION arrears_case_changed();

CREATE TRIGGER arrears_party_changed
AFTER INSERT OR DELETE OR UPDATE OF case_id, company_id ON casework_caseparty
FOR EACH ROW EXECUTE FUNCTION arrears_case_part_changed();

CREATE TRIGGER arrears_payment_changed
AFTER INSERT OR DELETE OR UPDATE OF case_id, amount ON arrears_payment
FOR EACH ROW EXECUTE FUNCTION arrears_case_part_changed();

SELECT arrears_ledger_rebuild();
"""

DROP = """
DROP TRIGGER IF EXISTS arrears_payment_changed ON arrears_payment;
DROP TRIGGER IF EXISTS arrears_party_changed ON casework_caseparty;
DROP TRIGGER IF EXISTS arrears_case_deleted ON casework_case;
DROP TRIGGER IF EXISTS arrears_case_changed ON casework_case;
DROP TRIGGER IF EXISTS arrears_ledgerline_changed ON arrears_ledgerline;
DROP FUNCTION IF EXISTS arrears_ledger_rebuild();
DROP FUNCTION IF EXISTS arrears_case_part_changed();
DROP FUNCTION IF EXISTS arrears_case_changed();
DROP FUNCTION IF EXISTS arrears_ledgerline_changed();
DROP FUNCTION IF EXISTS arrears_balance_add(
    bigint, bigint, bigint, int, numeric, numeric, numeric, numeric, numeric);
DROP FUNCTION IF EXISTS arrears_worker_count(bigint, bigint, int);
DROP FUNCTION IF EXISTS arrears_ledger_refresh(bigint);
"""


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: several statements in one go


def create(apps, schema_editor):
    _run(schema_editor, CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("arrears", "0003_ledger_rollup"),
        ("casework", "0009_withdrawal_cancels_clocks"),
        ("platforms", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
