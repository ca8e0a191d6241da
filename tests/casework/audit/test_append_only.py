"""On PostgreSQL the application's role cannot UPDATE or DELETE audit rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from arrears.models import Payment
from casework.audit.models import ChainEntry
from casework.audit.protection import maintenance, maintenance_role
from tests.factories.cases import make_case, make_org

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's"),
]

APP_ROLE = "anxin_audit_test_app"

STATEMENTS = [
    "UPDATE casework_historicalcase SET history_change_reason = 'approved by the district'",
    "DELETE FROM casework_historicalcase",
    "UPDATE casework_caseevent SET reason = 'edited'",
    "DELETE FROM casework_caseevent",
    "UPDATE casework_chainentry SET hash = 'x'",
    "DELETE FROM casework_chainentry",
    "UPDATE arrears_payment SET amount = 1",
    "UPDATE arrears_payment SET paid_on = '2026-01-01', status = 'received'",
    "DELETE FROM arrears_payment",
]


@pytest.fixture
def case():
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    Payment.objects.create(
        case=case, amount=Decimal("10.00"), paid_on=date(2026, 12, 1), recorded_by=org.supervisor
    )
    return case


def refused(sql: str, *, role: str | None = None, flag: bool = False) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if role:
                cursor.execute(f'SET LOCAL ROLE "{role}"')
            if flag:
                cursor.execute("SET LOCAL anxin.maintenance = 'on'")
            cursor.execute(sql)
    except DatabaseError as exc:
        assert "append-only" in str(exc)
        return True
    return False


@pytest.mark.parametrize("sql", STATEMENTS)
def test_a_change_to_audit_rows_is_refused(case, sql):
    assert refused(sql)


def test_a_payments_confirmation_moves_while_its_money_stays_fixed(case):
    assert not refused("UPDATE arrears_payment SET status = 'received'")


@pytest.fixture
def app_role():
    """A role like the application's: it owns nothing, may write the tables, is no member of
    the maintenance role."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN CREATE ROLE {APP_ROLE}; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON casework_caseevent, "
            f"casework_historicalcase TO {APP_ROLE}"
        )
    return APP_ROLE


def test_the_application_role_cannot_switch_maintenance_on(case, app_role):
    assert refused("UPDATE casework_caseevent SET reason = 'edited'", role=app_role, flag=True)
    assert refused("DELETE FROM casework_historicalcase", role=app_role, flag=True)


def test_the_maintenance_role_may_when_it_asks(case):
    assert maintenance_role()
    with maintenance(), connection.cursor() as cursor:
        cursor.execute("UPDATE casework_caseevent SET reason = 'archived'")
        cursor.execute("DELETE FROM casework_chainentry WHERE seq < 0")


def test_new_rows_are_still_written(case):
    assert ChainEntry.objects.filter(table="casework_caseevent").exists()
