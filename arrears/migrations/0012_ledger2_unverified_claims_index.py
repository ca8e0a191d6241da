"""The employer pages count the claims nobody has verified yet, per company: a partial index of
those cases (with the claim) lets PostgreSQL read them without the whole case table.
Created by SQL, on PostgreSQL only: the Case model (casework) does not know of it."""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS case_unverified_claims ON casework_case (id) INCLUDE (amount_claimed)
WHERE amount_verified IS NULL AND amount_agreed IS NULL
"""
DROP = "DROP INDEX IF EXISTS case_unverified_claims"


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(sql)


def create(apps, schema_editor):
    _run(schema_editor, CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("arrears", "0011_ledger2_unconfirmed_payments")]

    operations = [migrations.RunPython(create, drop)]
