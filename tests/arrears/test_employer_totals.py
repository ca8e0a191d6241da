"""Employer totals: the arrears ledger per company (cases, workers, claimed, verified, agreed,
paid, outstanding) over the cases the user may see, and one company's cases.

The figures are checked on whatever database runs the tests: PostgreSQL reads them from the
rollup its triggers keep, SQLite adds them up from the cases. The PostgreSQL-only tests below
write through the services and check the rollup against a fresh count."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arrears.models import EmployerBalance, EmployerTotal, EmployerWorker, LedgerLine, Payment
from arrears.selectors import employer_totals_for_user
from casework.audit.protection import maintenance
from casework.cases.choices import CaseState
from casework.cases.models import Case, CaseParty
from casework.cases.services.transitions import case_transition
from casework.clocks.escalation import case_escalate
from casework.core.roles import Role
from casework.intake.services import PartyInput
from casework.organisation.models import User
from platforms.choices import CompanyKind, Industry
from platforms.models import Company
from tests.factories.cases import (
    Org,
    cover_streets_with_unit_office,
    make_case,
    make_case_worker,
    make_org,
    put_case_in_state,
)
from tests.factories.organisation import make_staff

pytestmark = pytest.mark.django_db
D = Decimal


def pay(case: Case, amount: str, by: User) -> Payment:
    # There is no payment service yet: payments are written as rows directly.
    return Payment.objects.create(
        case=case, amount=D(amount), paid_on=date(2026, 4, 10), recorded_by=by
    )


def set_amounts(case: Case, *, verified: str | None = None, agreed: str | None = None) -> None:
    # Nor one for the verified and agreed amounts (mediation writes the agreed one).
    Case.objects.filter(pk=case.pk).update(
        amount_verified=D(verified) if verified else None,
        amount_agreed=D(agreed) if agreed else None,
    )


def company(name: str, kind=CompanyKind.PLATFORM, parent=None) -> Company:
    return Company.objects.create(
        name=name, short_name=name, kind=kind, industry=Industry.FOOD_DELIVERY, parent=parent
    )


@pytest.fixture
def ledger():
    """Platform P with operator O under it, and platform Q.

    Street A: case 1 names P and O: verified 1000.00, agreed 900.00, paid 300.10 + 299.95
    (outstanding 299.95); case 2 names P, by the same worker, claims 500.00, nothing verified
    (outstanding: the claim, 500.00).
    Street B: case 3 names P: verified 200.00, paid 250.00 (nothing outstanding, never below
    zero); case 4 names Q: verified 800.00, paid 100.00, resolved with the worker's waiver.
    """
    org = cover_streets_with_unit_office(make_org())
    p = company("平台P")
    o = company("运营商O", CompanyKind.OPERATOR, parent=p)
    q = company("平台Q")
    w1, w2, w3 = (make_case_worker(name) for name in ("甲", "乙", "丙"))
    chain = [
        PartyInput(kind=CompanyKind.PLATFORM, company=p),
        PartyInput(kind="operator", company=o),
    ]
    c1 = make_case(worker=w1, street=org.a.street, parties=chain, amount_claimed=D("1200.00"))
    set_amounts(c1, verified="1000.00", agreed="900.00")
    pay(c1, "300.10", org.a.coordinator)
    pay(c1, "299.95", org.a.coordinator)
    c2 = make_case(worker=w1, street=org.a.street, platform=p, amount_claimed=D("500.00"))
    c3 = make_case(worker=w2, street=org.b.street, platform=p, amount_claimed=D("210.50"))
    set_amounts(c3, verified="200.00")
    pay(c3, "250.00", org.b.coordinator)
    c4 = make_case(worker=w3, street=org.b.street, platform=q, amount_claimed=D("800.00"))
    put_case_in_state(c4, CaseState.VERIFYING, org.supervisor)
    set_amounts(c4, verified="800.00")
    pay(c4, "100.00", org.b.coordinator)
    case_transition(
        actor=org.b.coordinator, case_id=c4.pk, name="resolve", waiver="工人书面放弃其余700元。"
    )
    org.companies = {"P": p, "O": o, "Q": q}
    org.cases = [c1, c2, c3, c4]
    return org


def figures(row) -> tuple:
    f = row.figures
    return (f.cases, f.workers, f.claimed, f.verified, f.agreed, f.paid, f.outstanding)


def totals_page(client, user: User, **query):
    client.force_login(user)
    return client.get(reverse("arrears:employers"), query)


def test_the_district_sees_every_employer_to_the_cent(client, ledger):
    response = totals_page(client, ledger.supervisor)

    assert response.status_code == 200
    rows = {row.company.short_name: row for row in response.context["page"].rows}
    assert figures(rows["平台P"]) == (
        3, 2, D("1910.50"), D("1200.00"), D("900.00"), D("850.05"), D("799.95"),
    )  # fmt: skip
    assert figures(rows["运营商O"]) == (
        1, 1, D("1200.00"), D("1000.00"), D("900.00"), D("600.05"), D("299.95"),
    )  # fmt: skip
    assert figures(rows["平台Q"]) == (
        1, 1, D("800.00"), D("800.00"), D("0.00"), D("100.00"), D("0.00"),
    )  # fmt: skip
    for row in rows.values():
        assert all(isinstance(value, Decimal) for value in figures(row)[2:])
    page = response.content.decode()
    assert "¥1,910.50" in page and "¥850.05" in page


def test_employers_are_sorted_by_outstanding_unless_asked_otherwise(client, ledger):
    page = totals_page(client, ledger.supervisor).context["page"]
    assert [row.company.short_name for row in page.rows][-1] == "平台Q"
    assert page.rows[0].figures.outstanding == D("799.95")

    by_paid = totals_page(client, ledger.supervisor, sort="paid").context["page"]
    assert [row.company.short_name for row in by_paid.rows] == ["平台P", "运营商O", "平台Q"]
    nonsense = totals_page(client, ledger.supervisor, sort="drop table", page="x")
    assert nonsense.status_code == 200 and nonsense.context["page"].sort == "outstanding"


def test_a_street_supervisor_counts_only_their_streets_cases(client, ledger):
    supervisor = make_staff(role=Role.SUPERVISOR, team=ledger.a.coordinators)
    rows = {
        row.company.short_name: row for row in totals_page(client, supervisor).context["page"].rows
    }

    assert set(rows) == {"平台P", "运营商O"}
    assert figures(rows["平台P"]) == (
        2, 1, D("1700.00"), D("1000.00"), D("900.00"), D("600.05"), D("799.95"),
    )  # fmt: skip
    q = ledger.companies["Q"]
    assert client.get(reverse("arrears:employer_detail", args=[q.pk])).status_code == 404


def test_a_coordinator_sees_their_streets_employers(client, ledger):
    rows = totals_page(client, ledger.b.coordinator).context["page"].rows
    assert {row.company.short_name: row.figures.paid for row in rows} == {
        "平台P": D("250.00"),
        "平台Q": D("100.00"),
    }


@pytest.mark.parametrize("who", ["worker", "representative"])
def test_workers_and_platforms_do_not_see_employer_totals(client, ledger, who):
    user = ledger.worker if who == "worker" else ledger.representative
    assert totals_page(client, user).status_code == 404
    p = ledger.companies["P"]
    assert client.get(reverse("arrears:employer_detail", args=[p.pk])).status_code == 404


def test_a_companys_page_lists_its_cases_largest_balance_first(client, ledger):
    client.force_login(ledger.supervisor)
    p = ledger.companies["P"]
    response = client.get(reverse("arrears:employer_detail", args=[p.pk]))

    assert response.status_code == 200
    detail = response.context["detail"]
    assert detail.figures.outstanding == D("799.95") and detail.figures.cases == 3
    c1, c2, c3, _c4 = ledger.cases
    # Case 2's claim is unverified: it is owed all the same (500.00), never 0.
    assert [line.case.pk for line in detail.lines] == [c2.pk, c1.pk, c3.pk]
    assert {line.case.pk: line.paid for line in detail.lines} == {
        c1.pk: D("600.05"),
        c2.pk: D("0.00"),
        c3.pk: D("250.00"),
    }
    page = response.content.decode()
    assert c1.reference in page and reverse("casework:case_detail", args=[c1.pk]) in page

    operator = client.get(reverse("arrears:employer_detail", args=[ledger.companies["O"].pk]))
    assert [above.pk for above in operator.context["detail"].chain_above] == [p.pk]


def test_an_unknown_company_answers_404(client, ledger):
    client.force_login(ledger.supervisor)
    assert client.get(reverse("arrears:employer_detail", args=[999_999])).status_code == 404
    nobody = company("无案件公司")
    assert client.get(reverse("arrears:employer_detail", args=[nobody.pk])).status_code == 404


def _queries(client, url) -> int:
    client.get(url)  # what changed in between (people, notifications) is read once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["district", "street"])
def test_the_query_count_does_not_grow_with_cases_or_companies(client, ledger, who):
    user = (
        ledger.supervisor
        if who == "district"
        else make_staff(role=Role.SUPERVISOR, team=ledger.a.coordinators)
    )
    client.force_login(user)
    url = reverse("arrears:employers")
    detail = reverse("arrears:employer_detail", args=[ledger.companies["P"].pk])
    few, few_detail = _queries(client, url), _queries(client, detail)

    for n in range(8):
        platform = company(f"新平台{n}")
        for street in (ledger.a.street, ledger.b.street):
            case = make_case(worker=make_case_worker(), street=street, platform=platform)
            set_amounts(case, verified=f"{100 + n}.10")
            pay(case, "50.05", ledger.a.coordinator)
        make_case(worker=make_case_worker(), street=ledger.a.street, platform=ledger.companies["P"])

    assert (_queries(client, url), _queries(client, detail)) == (few, few_detail)
    if who == "district":
        assert few <= 10, "issue 7 allows employer totals 10 queries"


# The rollup (PostgreSQL) --------------------------------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the rollup is kept by PostgreSQL triggers"
)


def recount() -> dict:
    """The rollup as it should be, counted afresh from cases, parties and payments."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT arrears_ledger_rebuild()")
    return snapshot()


def snapshot() -> dict:
    def rows(model):
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        return sorted(
            (tuple(row[f] for f in fields) for row in model.objects.values(*fields)), key=str
        )

    return {
        model.__name__: rows(model)
        for model in (LedgerLine, EmployerBalance, EmployerTotal, EmployerWorker)
    }


@on_postgresql
def test_the_rollup_follows_every_write(ledger):
    org: Org = ledger
    p, o, q = ledger.companies["P"], ledger.companies["O"], ledger.companies["Q"]
    c1, c2, c3, _c4 = ledger.cases
    assert snapshot() == recount(), "after filing, amounts, payments and a waiver"

    # Escalation moves a case to another team: its sums follow it.
    case_escalate(actor=org.a.station_coordinator, case_id=c1.pk, reason="久拖未决")
    assert snapshot() == recount()
    assert EmployerBalance.objects.filter(company=p, team=org.a.coordinators).exists()

    # The worker changes (a correction), a party is added and one removed, a payment reversed.
    Case.objects.filter(pk=c2.pk).update(worker=c3.worker)
    CaseParty.objects.create(case=c3, position=2, kind=CompanyKind.OPERATOR, company=o)
    CaseParty.objects.filter(case=c1, company=o).delete()
    Payment.objects.create(
        case=c3,
        amount=D("-250.00"),
        paid_on=date(2026, 4, 11),
        recorded_by=org.b.coordinator,
        reverses=Payment.objects.get(case=c3),
    )
    set_amounts(c2, verified="123.45", agreed="100.01")
    assert snapshot() == recount()

    # A case leaves: its lines go with it.
    CaseParty.objects.filter(case=c3).delete()
    with maintenance():  # payments and timeline events are append-only (casework.audit)
        Payment.objects.filter(case=c3, reverses__isnull=False).delete()
        Payment.objects.filter(case=c3).delete()
        Case.objects.filter(pk=c3.pk).delete()
    assert snapshot() == recount()
    assert not EmployerTotal.objects.filter(company=q).exclude(cases=1).exists()


@on_postgresql
def test_a_collective_group_moves_its_cases_sums_to_tier_one(ledger):
    from casework.groups.services import group_add_cases

    org: Org = ledger
    p = ledger.companies["P"]
    cases = [
        make_case(worker=make_case_worker(), street=org.a.street, platform=p) for _ in range(10)
    ]
    group_add_cases(actor=org.supervisor, case_ids=[case.pk for case in cases])

    assert Case.objects.get(pk=cases[0].pk).team == org.unit_office
    assert snapshot() == recount()
    assert EmployerBalance.objects.get(company=p, team=org.unit_office).cases == 10


@on_postgresql
def test_the_district_page_reads_the_rollup_in_one_query_after_the_scope(
    ledger, django_assert_num_queries
):
    employer_totals_for_user(user=ledger.supervisor)  # works out the scope (cached on the user)
    # every unit (does the scope cover them all?) and the rollup's rows, which carry the
    # confirmed money, unverified claims, missed instalments and payment orders too
    with django_assert_num_queries(2):
        page = employer_totals_for_user(user=ledger.supervisor)
    assert page.rows[0].figures.outstanding == D("799.95")
