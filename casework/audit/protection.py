"""PostgreSQL refuses UPDATE and DELETE of audit rows: history, timeline, payments, the chain.

One trigger function, installed after every `migrate` on every protected table (a table that
joins the chain later is protected by the next `migrate`). It lets a change through only when
the session asked for maintenance (`SET LOCAL anxin.maintenance = 'on'`) *and* its role is a
member of the maintenance role (`ANXIN_AUDIT_MAINTENANCE_ROLE`, default `anxin_maintenance`)
or is a superuser (who could drop the trigger anyway). The application's role is neither, so
setting the flag does nothing for it. TRUNCATE (test teardown) fires no row trigger.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_migrate

from casework.audit.tables import fixed_columns, protected_tables

FUNCTION = "anxin_audit_refuse_change"


def maintenance_role() -> str:
    return getattr(settings, "ANXIN_AUDIT_MAINTENANCE_ROLE", "anxin_maintenance")


FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION anxin_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF coalesce(current_setting('anxin.maintenance', true), '') = 'on' THEN
        -- A superuser could drop this trigger anyway: asking is enough for one.
        IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :role) THEN
            IF pg_has_role(current_user, :role, 'MEMBER') THEN
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$body$"""


def _function_sql(quote) -> str:
    # The role is a quoted literal (from settings, not from a user).
    return FUNCTION_SQL.replace(":role", quote(maintenance_role()))


def install(using=None) -> list[str]:
    """(Re)create the function and one trigger per protected table; returns the tables."""
    if connection.vendor != "postgresql":
        return []
    tables = protected_tables()
    partly = fixed_columns()
    with connection.cursor() as cursor, transaction.atomic():
        quote = connection.ops.quote_name
        cursor.execute(_function_sql(_literal))
        existing = set(connection.introspection.table_names(cursor))
        for table in tables:
            if table not in existing:
                continue
            name = quote(f"{table}_append_only")
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}")
            fixed = partly.get(table)
            if fixed is None:
                cursor.execute(
                    f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {quote(table)} "
                    f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
                )
                continue
            # Deleting is refused; updating only when a fixed column would change.
            old = ", ".join(f"OLD.{quote(column)}" for column in fixed)
            new = ", ".join(f"NEW.{quote(column)}" for column in fixed)
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE DELETE ON {quote(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
            )
            fixed_name = quote(f"{table}_fixed_columns")
            cursor.execute(f"DROP TRIGGER IF EXISTS {fixed_name} ON {quote(table)}")
            cursor.execute(
                f"CREATE TRIGGER {fixed_name} BEFORE UPDATE ON {quote(table)} FOR EACH ROW "
                f"WHEN (({old}) IS DISTINCT FROM ({new})) EXECUTE FUNCTION {FUNCTION}()"
            )
    return tables


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@contextmanager
def maintenance():
    """A transaction in which a maintenance role may change audit rows (PostgreSQL)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL anxin.maintenance = 'on'")
        yield


def _after_migrate(sender, using="default", **kwargs):
    if sender.name == "casework":
        install(using)


post_migrate.connect(_after_migrate, dispatch_uid="audit_protection")
