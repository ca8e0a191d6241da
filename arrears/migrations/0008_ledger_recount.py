"""The ledger's sums follow the ledger issue's rules:

- before an agreement or a verified amount, a case owes its claim (marked unverified on the
  pages), never 0: outstanding = agreed, else verified, else claimed, − paid;
- recovered money (DayFigures, the dashboard) is money the worker confirmed or whose proof
  staff checked, not what an employer reports: a payment counts once its status says so, and
  a change of status moves it in or out.

The functions of 0004 and 0006 are taken as they were and changed only there; both rebuilds
run once for existing data.
"""

import importlib
import re

from django.db import migrations

ledger = importlib.import_module("arrears.migrations.0004_ledger_triggers")
days = importlib.import_module("arrears.migrations.0006_day_figures_triggers")

COUNTED = "('received', 'proof_verified')"


def _function(sql: str, name: str) -> str:
    match = re.search(rf"CREATE OR REPLACE FUNCTION {name}\(.*?END \$\$;", sql, re.S)
    return match.group(0)


def _ledger_sql(owed_if_nothing: str) -> str:
    sql = "\n\n".join(
        _function(ledger.CREATE, name)
        for name in ("arrears_ledger_refresh", "arrears_ledger_rebuild")
    )
    old = "COALESCE(c.amount_agreed, c.amount_verified, 0)"
    assert old in sql
    return sql.replace(old, f"COALESCE(c.amount_agreed, c.amount_verified, {owed_if_nothing})")


def _amount(row: str) -> str:
    return f"CASE WHEN {row}.status IN {COUNTED} THEN {row}.amount ELSE 0 END"


def _days_sql() -> str:
    sql = days.create_sql()
    changes = [
        ("-OLD.amount);", f"-({_amount('OLD')}));"),
        ("0, 0, NEW.amount);", f"0, 0, {_amount('NEW')});"),
        (
            "FROM arrears_payment WHERE case_id = NEW.id",
            f"FROM arrears_payment WHERE case_id = NEW.id AND status IN {COUNTED}",
        ),
        (
            "FROM arrears_payment p JOIN casework_case c ON c.id = p.case_id",
            f"FROM arrears_payment p JOIN casework_case c ON c.id = p.case_id\n"
            f"        WHERE p.status IN {COUNTED}",
        ),
        (
            "UPDATE OF case_id, amount, paid_on ON arrears_payment",
            "UPDATE OF case_id, amount, paid_on, status ON arrears_payment",
        ),
    ]
    for old, new in changes:
        assert old in sql, old
        sql = sql.replace(old, new)
    return sql


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: several statements in one go


def forwards(apps, schema_editor):
    _run(schema_editor, _ledger_sql("c.amount_claimed") + "\nSELECT arrears_ledger_rebuild();")
    _run(schema_editor, days.DROP + _days_sql())


def backwards(apps, schema_editor):
    _run(schema_editor, _ledger_sql("0") + "\nSELECT arrears_ledger_rebuild();")
    _run(schema_editor, days.DROP + days.create_sql())


class Migration(migrations.Migration):
    dependencies = [("arrears", "0007_ledger_payments")]

    operations = [migrations.RunPython(forwards, backwards)]
