"""The employer pages read unverified claims, missed instalments, open payment orders and
unconfirmed payments from the ledger rollup that PostgreSQL keeps (migration 0014). After each
step of a case's life, written through the services, the rollup equals a brute-force recount
(arrears_ledger_rebuild) and the figures the pages show equal those added up from the cases
(what SQLite shows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arrears.employer_extras import employer_extras, extras_from_rollup
from arrears.models import EmployerBalance, EmployerTotal, LedgerLine
from arrears.services import payment_confirm, payment_reverse
from arrears.services.enforcement import ledger_sweep, payment_order_issue
from casework.cases.models import Case
from casework.clocks.escalation import case_escalate
from casework.core.access import CaseKeys
from mediation.models import Instalment
from tests.arrears.ledger_helpers import NOW, D, binding_agreement, pay, verify, verifying_case
from tests.arrears.test_employer_totals import recount, snapshot
from tests.factories.cases import make_case, make_case_worker, make_org

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.now(NOW),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the rollup is kept by PostgreSQL triggers"
    ),
]
EVERYTHING = CaseKeys(everything=True)


def extras_of(company):
    return extras_from_rollup(EmployerTotal.objects.get(company=company))


def assert_rollup_is_the_recount(*companies):
    """The rollup as the triggers kept it equals one counted afresh, and its extras equal
    those added up from the cases."""
    kept = snapshot()
    assert kept == recount()
    for company in companies:
        total = EmployerTotal.objects.get(company=company)
        counted = employer_extras(EVERYTHING, {company.pk: total.paid})[company.pk]
        assert extras_from_rollup(total) == counted


def test_the_rollup_follows_payments_verification_the_sweep_orders_and_moves(now_is):
    org = make_org()
    p = org.platform
    case = verifying_case(org, amount_claimed=D("3200.00"))
    other = verifying_case(org, amount_claimed=D("450.00"))
    assert (extras_of(p).unverified_cases, extras_of(p).unverified_claimed) == (2, D("3650.00"))
    assert_rollup_is_the_recount(p)

    # Verification takes a claim out of the unverified ones.
    verify(org, case, "3000.00")
    assert (extras_of(p).unverified_cases, extras_of(p).unverified_claimed) == (1, D("450.00"))
    assert_rollup_is_the_recount(p)

    # An agreement of three instalments; the first paid, then confirmed by the worker.
    binding_agreement(org, case, "3000.00", [(7, "30"), (21, "30"), (35, "40")])
    assert_rollup_is_the_recount(p)
    first, second, _third = Instalment.objects.filter(line__case=case).order_by("due_on")
    now_is("2026-12-14", hour=15)
    paid = pay(org, case, "900.00", paid_on="2026-12-14", instalment_id=first.pk)
    assert extras_of(p).confirmed == D("0.00")
    assert_rollup_is_the_recount(p)
    payment_confirm(actor=case.worker, case_id=case.pk, payment_id=paid.pk, received=True)
    assert extras_of(p).confirmed == D("900.00")
    assert_rollup_is_the_recount(p)

    # The second goes overdue: the sweep flags it, and it counts until paid in full.
    now_is("2026-12-29", hour=9)
    assert ledger_sweep().instalments_missed == 1
    assert extras_of(p).missed_instalments == 1
    assert_rollup_is_the_recount(p)
    part = pay(org, case, "500.00", paid_on="2026-12-29", instalment_id=second.pk)
    assert extras_of(p).missed_instalments == 1, "partly paid is still missed"
    rest = pay(org, case, "400.00", paid_on="2026-12-29", instalment_id=second.pk)
    assert extras_of(p).missed_instalments == 0
    assert_rollup_is_the_recount(p)
    payment_reverse(actor=org.a.coordinator, case_id=case.pk, payment_id=rest.pk, reason="退票")
    assert extras_of(p).missed_instalments == 1, "a correction makes it short again"
    assert extras_of(p).confirmed == D("900.00")
    assert_rollup_is_the_recount(p)
    payment_confirm(actor=case.worker, case_id=case.pk, payment_id=part.pk, received=False)
    assert_rollup_is_the_recount(p)

    # A payment order is open until its deadline passes.
    payment_order_issue(actor=org.a.coordinator, case_id=case.pk, deadline="2027-01-05")
    assert extras_of(p).open_orders == 1
    assert_rollup_is_the_recount(p)
    now_is("2027-01-06", hour=9)
    assert ledger_sweep().orders_missed == 1
    assert extras_of(p).open_orders == 0
    assert_rollup_is_the_recount(p)

    # Case moves: escalation to the station, and to another street; their sums follow.
    case_escalate(actor=org.a.station_coordinator, case_id=other.pk, reason="久拖未决")
    assert_rollup_is_the_recount(p)
    Case.objects.filter(pk=case.pk).update(jurisdiction=org.b.street, team=org.b.coordinators)
    assert_rollup_is_the_recount(p)
    moved = EmployerBalance.objects.get(company=p, team=org.b.coordinators)
    assert (moved.missed_instalments, moved.unverified_cases) == (1, 0)
    line = LedgerLine.objects.get(case=case, company=p)
    assert (line.missed_instalments, line.open_orders, line.unconfirmed) == (1, 0, D("500.00"))


def test_a_street_supervisor_reads_the_extras_of_their_streets_only(client):
    org = make_org()
    verifying_case(org, amount_claimed=D("450.00"))
    make_case(worker=make_case_worker(), street=org.b.street, platform=org.platform)
    from casework.core.roles import Role
    from tests.factories.organisation import make_staff

    supervisor = make_staff(role=Role.SUPERVISOR, team=org.a.coordinators)
    client.force_login(supervisor)
    rows = client.get(reverse("arrears:employers")).context["page"].rows
    row = next(r for r in rows if r.company == org.platform)
    assert (row.extras.unverified_cases, row.extras.unverified_claimed) == (1, D("450.00"))
    detail = client.get(reverse("arrears:employer_detail", args=[org.platform.pk]))
    assert detail.context["detail"].extras.unverified_cases == 1
    client.force_login(org.supervisor)
    everything = client.get(reverse("arrears:employers")).context["page"].rows
    assert next(r for r in everything if r.company == org.platform).extras.unverified_cases == 2


def test_the_employer_pages_read_no_case_and_no_payment(client):
    """Index-ordered rollup reads: the district's pages touch neither the cases' money nor
    the payments, missed instalments or payment orders, whatever their number."""
    org = make_org()
    case = verifying_case(org)
    verify(org, case, "1000.00")
    pay(org, case, "100.00")
    client.force_login(org.supervisor)
    for url in (
        reverse("arrears:employers"),
        reverse("arrears:employer_detail", args=[org.platform.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        for table in ("arrears_payment", "arrears_missedinstalment", "arrears_paymentorder"):
            assert f'"{table}"' not in sql, (url, table)
        assert "SUM(" not in sql.upper() or "employerbalance" in sql
