"""Clocks, their pauses and extensions, deadline rules, the working-day calendar and
signatures keep a history like every other tracked record: on the chain, refused UPDATE and
DELETE, and readable in the audit browser (fields by name, people and clocks by name)."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from casework.audit.models import ChainEntry
from casework.audit.verify import verify_chain
from casework.clocks.models import CalendarDay, DeadlinePause, DeadlineRule
from casework.clocks.services import case_clocks_pause
from mediation.models import Signature
from tests.arrears.ledger_helpers import NOW, binding_agreement, verifying_case
from tests.factories.cases import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]

HISTORY_TABLES = (
    "casework_historicaldeadline",
    "casework_historicaldeadlinepause",
    "casework_historicaldeadlineextension",
    "casework_historicaldeadlinerule",
    "casework_historicalcalendarday",
    "casework_historicalcalendaryear",
    "mediation_historicalsignature",
)


@pytest.fixture
def paused():
    org = make_org()
    case = verifying_case(org)
    case_clocks_pause(actor=org.a.coordinator, case_id=case.pk, reason="等待工人补充材料")
    return org, case


def test_a_pause_is_history_on_the_chain_filed_under_its_case(paused):
    org, case = paused
    pause = DeadlinePause.objects.get(deadline__case=case)
    deadline = pause.deadline
    entry = ChainEntry.objects.get(
        table="casework_historicaldeadlinepause", row_id=str(pause.history.get().history_id)
    )
    assert entry.action == "+"
    assert entry.case_id == case.pk, "a pause must be found by its case in the audit browser"
    assert entry.unit_id == org.a.street.pk
    changed = deadline.history.order_by("-history_date").first()
    assert changed.status == "paused"
    assert verify_chain().ok


def test_the_street_supervisor_reads_the_pause_in_words(client, paused):
    org, case = paused
    client.force_login(org.supervisor)
    page = client.get(
        reverse("casework:audit_browser"), {"model": "casework_historicaldeadlinepause"}
    ).text
    assert case.reference in page
    assert "期限暂停" in page, "the record type should be named, not shown as a class name"
    assert "暂停人" in page and "协调员" in page, "who paused should be named, not an id"
    assert "等待工人补充材料" in page
    rule = DeadlinePause.objects.get(deadline__case=case).deadline.rule
    assert rule.name in page, "the paused clock should be named by its rule"
    assert "deadline pause" not in page and "actor" not in page


def test_a_rule_and_the_calendar_changed_in_admin_are_history(client):
    org = make_org()
    rule = DeadlineRule.objects.order_by("pk").first()
    rule.length += 2
    rule.save(update_fields=["length"])
    CalendarDay.objects.create(date=date(2026, 12, 26), is_working_day=True, name="调休上班")
    client.force_login(org.admin)
    page = client.get(
        reverse("casework:audit_browser"), {"model": "casework_historicaldeadlinerule"}
    ).text
    assert rule.name in page and "期限规则" in page
    page = client.get(
        reverse("casework:audit_browser"), {"model": "casework_historicalcalendarday"}
    ).text
    assert "调休上班" in page and "2026-12-26" in page


def test_signatures_are_history_filed_under_the_case(client):
    org = make_org()
    case = verifying_case(org)
    agreement = binding_agreement(org, case, "1000.00", [(10, "100")])
    employer = Signature.objects.get(agreement=agreement, side="employer")
    entry = ChainEntry.objects.get(
        table="mediation_historicalsignature", row_id=str(employer.history.get().history_id)
    )
    assert entry.case_id == case.pk, "an employer's signature belongs to the agreement's case"
    client.force_login(org.supervisor)
    page = client.get(
        reverse("casework:audit_browser"), {"model": "mediation_historicalsignature"}
    ).text
    assert "王经理" in page and "签字" in page
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_the_new_history_tables_refuse_changes(paused):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE %s",
            ["%_append_only"],
        )
        protected = {name for (name,) in cursor.fetchall()}
    assert set(HISTORY_TABLES) <= protected
    for table in ("casework_historicaldeadline", "casework_historicaldeadlinepause"):
        for statement in ("UPDATE {} SET history_change_reason = 'x'", "DELETE FROM {}"):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement.format(table))
