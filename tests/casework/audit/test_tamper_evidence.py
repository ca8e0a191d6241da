"""verify_audit catches every way the issue's forger rewrote the record, and names it."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from arrears.models import Payment
from casework.audit.chain import link_hash
from casework.audit.digests import digest_record
from casework.audit.models import ChainEntry, DailyDigest
from casework.audit.verify import verify_chain
from casework.cases.models import Case
from casework.timeline.choices import EventKind
from tests.casework.audit.tampering import tamper
from tests.clock import beijing, frozen_now
from tests.factories.cases import make_case, make_org, put_case_in_state

pytestmark = [pytest.mark.django_db]

FILED_ON = dt.date(2026, 12, 1)


@pytest.fixture
def accepted_case():
    with frozen_now(beijing(FILED_ON, 9)):
        org = make_org()
        case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
        put_case_in_state(case, "accepted", org.supervisor)
    return org, Case.objects.get(pk=case.pk)


def run_verify(*args) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        with translation.override("en"):
            call_command("verify_audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, out.getvalue()


def test_an_untouched_record_verifies(accepted_case):
    _org, case = accepted_case
    code, output = run_verify()
    assert code == 0, output
    assert output.startswith("OK")
    # every history row and timeline event of the case is a link, once
    history = list(case.history.values_list("history_id", flat=True))
    events = list(case.events.values_list("pk", flat=True))
    chained = ChainEntry.objects.filter(table="casework_historicalcase")
    assert sorted(int(r) for r in chained.values_list("row_id", flat=True)) == sorted(history)
    chained = ChainEntry.objects.filter(table="casework_caseevent")
    assert sorted(int(r) for r in chained.values_list("row_id", flat=True)) == sorted(events)
    seqs = list(ChainEntry.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_history_rows_actor_and_reason_changed_are_named(accepted_case):
    org, case = accepted_case
    record = case.history.order_by("history_id").last()
    tamper(
        "UPDATE casework_historicalcase SET history_user_id = %s, "
        "history_change_reason = %s WHERE history_id = %s",
        [
            org.supervisor.pk if record.history_user_id != org.supervisor.pk else org.admin.pk,
            "approved by the district",
            record.history_id,
        ],
    )
    code, output = run_verify()
    assert code == 1
    first = output.splitlines()[0]
    assert f"table casework_historicalcase, row {record.history_id}" in first
    assert "history_change_reason" in first
    assert "history_user_id" in first


def test_a_timeline_reason_edited_is_named(accepted_case):
    _org, case = accepted_case
    event = case.events.order_by("pk").last()
    tamper("UPDATE casework_caseevent SET reason = %s WHERE id = %s", ["已核实", event.pk])
    code, output = run_verify()
    assert code == 1
    assert f"table casework_caseevent, row {event.pk}" in output.splitlines()[0]
    assert "fields changed: reason" in output.splitlines()[0]


def test_the_filed_event_deleted_is_named(accepted_case):
    _org, case = accepted_case
    filed = case.events.get(kind=EventKind.FILED)
    tamper("DELETE FROM casework_caseevent WHERE id = %s", [filed.pk])
    code, output = run_verify()
    assert code == 1
    first = output.splitlines()[0]
    assert f"table casework_caseevent, row {filed.pk}" in first
    assert "the row was deleted" in first


def test_a_case_amount_changed_without_a_history_row_is_named(accepted_case):
    _org, case = accepted_case
    tamper("UPDATE casework_case SET amount_claimed = 99999 WHERE id = %s", [case.pk])
    report = verify_chain()
    assert not report.ok
    [problem] = report.problems
    assert (problem.table, problem.row_id, problem.fields) == (
        "casework_case",
        str(case.pk),
        ["amount_claimed"],
    )
    with translation.override("en"):
        assert "without a history record" in str(problem)
    assert "该行被改动，却没有变更记录" in str(problem)  # the administrator's language


def test_a_payment_edited_is_named(accepted_case):
    org, case = accepted_case
    with frozen_now(beijing(FILED_ON, 11)):
        payment = Payment.objects.create(
            case=case, amount=Decimal("500.00"), paid_on=FILED_ON, recorded_by=org.supervisor
        )
    assert verify_chain().ok
    tamper("UPDATE arrears_payment SET amount = 5000 WHERE id = %s", [payment.pk])
    [problem] = verify_chain().problems
    assert (problem.table, problem.row_id, problem.fields) == (
        "arrears_payment",
        str(payment.pk),
        ["amount"],
    )


def test_a_history_row_inserted_behind_the_chains_back_is_named(accepted_case):
    _org, case = accepted_case
    record = case.history.order_by("history_id").first()
    history = type(record)
    columns = [f.column for f in history._meta.concrete_fields if f.column != "history_id"]
    copied = [c if c != "history_change_reason" else "'approved by the district'" for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO casework_historicalcase ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(copied)} FROM casework_historicalcase WHERE history_id = %s",
            [record.history_id],
        )
    report = verify_chain()
    assert not report.ok
    with translation.override("en"):
        assert any(
            p.table == "casework_historicalcase" and "not in the chain" in str(p)
            for p in report.problems
        )


@pytest.mark.now("2026-12-03T10:00+08:00")
def test_a_chain_rewritten_with_recomputed_hashes_is_caught_against_the_days_digest(
    accepted_case,
):
    _org, case = accepted_case
    digest = digest_record(day=FILED_ON)
    exported = [
        {"day": str(digest.day), "merkle_root": digest.merkle_root, "head_hash": digest.head_hash}
    ]
    event = case.events.order_by("pk").last()
    tamper("UPDATE casework_caseevent SET reason = %s WHERE id = %s", ["已核实", event.pk])
    # the forger recomputes the edited link and every link after it
    entries = list(ChainEntry.objects.order_by("seq"))
    previous = "0" * 64
    for entry in entries:
        content = entry.content
        if entry.table == "casework_caseevent" and entry.row_id == str(event.pk):
            data = json.loads(content)
            data["row"]["reason"] = "已核实"
            content = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        previous = link_hash(previous, content)
        tamper(
            "UPDATE casework_chainentry SET content = %s, hash = %s WHERE seq = %s",
            [content, previous, entry.seq],
        )
    report = verify_chain()
    assert not report.ok
    with translation.override("en"):
        assert f"the entries of {FILED_ON}" in str(report.first)
    # and when the digest table is rewritten too, the copy handed out still catches it
    tamper(
        "UPDATE casework_dailydigest SET merkle_root = %s, head_hash = %s WHERE id = %s",
        ["0" * 64, previous, digest.pk],
    )
    report = verify_chain(exported=exported)
    with translation.override("en"):
        assert any("differs from the copy handed out" in str(p) for p in report.problems)


@pytest.mark.now("2026-12-03T10:00+08:00")
def test_since_starts_after_the_last_digest_before_the_day(accepted_case):
    _org, case = accepted_case
    digest = digest_record(day=FILED_ON)
    digest_record(day=FILED_ON + dt.timedelta(days=1))
    put_case_in_state_later = case.events.count()
    assert put_case_in_state_later
    # a change before the sealed day is outside a nightly run's reach but not a full run's
    event = case.events.order_by("pk").first()
    tamper("UPDATE casework_caseevent SET reason = %s WHERE id = %s", ["改", event.pk])
    nightly = verify_chain(since=FILED_ON + dt.timedelta(days=2))
    assert nightly.start_seq == digest.head_seq
    assert nightly.entries == 0
    assert not any(p.table == "casework_caseevent" for p in nightly.problems)
    assert not verify_chain().ok


def test_the_digest_holds_the_days_merkle_root_and_head(accepted_case, now_is):
    now_is("2026-12-02T08:00+08:00")
    call_command("audit_digest", "--date", "2026-12-01", stdout=StringIO())
    digest = DailyDigest.objects.get(day=FILED_ON)
    hashes = list(ChainEntry.objects.order_by("seq").values_list("hash", flat=True))
    from casework.audit.merkle import merkle_root_recursive

    assert digest.entries == len(hashes)
    assert digest.merkle_root == merkle_root_recursive(hashes)
    assert digest.head_hash == hashes[-1]
    # recording it again keeps the first seal
    call_command("audit_digest", "--date", "2026-12-01", stdout=StringIO())
    assert DailyDigest.objects.count() == 1
