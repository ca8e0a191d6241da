"""The supervisor dashboard: the figures a bureau reports, over the cases a supervisor
oversees, for this month, this year or all time, with links to the matching queues."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arrears.models import Payment
from casework.audit.protection import maintenance
from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.clocks.escalation import case_escalate
from casework.clocks.work_calendar import forget_calendar, load_calendar
from casework.core.roles import Role
from casework.organisation.models import User
from tests.clock import beijing, frozen_now
from tests.factories.cases import (
    Org,
    make_case_on,
    make_case_worker,
    make_org,
    transition_on,
)
from tests.factories.organisation import make_staff

TODAY = date(2026, 3, 20)  # a Friday; no holiday in March 2026
# The dashboard is read at 15:00 that day; the cases are filed and moved on the days they name.
pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=15)]


@pytest.fixture(autouse=True)
def fresh_calendar():
    forget_calendar()
    yield
    forget_calendar()


def pay(case: Case, amount: str, on: date, by: User, status: str = "received") -> Payment:
    # Payments as the worker confirmed them (recovered money), written as rows directly: the
    # dashboard's figures, not the ledger's checks, are under test (tests/arrears has those).
    return Payment.objects.create(
        case=case, amount=Decimal(amount), paid_on=on, recorded_by=by, status=status
    )


def set_verified(case: Case, amount: str) -> None:
    # Nor one for the verified amount.
    Case.objects.filter(pk=case.pk).update(amount_verified=Decimal(amount))


@pytest.fixture
def district():
    """Two streets' worth of cases around 20 March 2026.

    Street A: resolved in March after three instalments adding up to 1000.00 (filed 2 March),
    a second complaint by the same worker still waiting to be accepted (filed 5 March: its
    5-working-day clock ran out on 12 March), a February case accepted then escalated in March
    and paid 123.45 in February.
    Street B: a complaint filed on 16 March (acceptance due Monday 23 March: due soon), and
    one declined in March.
    """
    org = make_org()
    org.unit_office.covers.add(org.a.street, org.b.street)
    w1, w2, w3, w4 = (make_case_worker(name) for name in ("甲", "乙", "丙", "丁"))
    boss = org.supervisor

    resolved = make_case_on(date(2026, 3, 2), worker=w1, street=org.a.street)
    transition_on(date(2026, 3, 3), resolved, "accept", boss)
    transition_on(date(2026, 3, 4), resolved, "start_verification", boss)
    set_verified(resolved, "1000.00")
    for amount in ("333.33", "333.33", "333.34"):
        pay(resolved, amount, date(2026, 3, 9), org.a.coordinator)
    transition_on(date(2026, 3, 10), resolved, "resolve", boss)

    waiting = make_case_on(date(2026, 3, 5), worker=w1, street=org.a.street)
    february = make_case_on(date(2026, 2, 10), worker=w2, street=org.a.street)
    transition_on(date(2026, 2, 11), february, "accept", boss)
    pay(february, "123.45", date(2026, 2, 20), org.a.coordinator)
    with frozen_now(beijing(date(2026, 3, 16))):
        case_escalate(actor=org.a.station_coordinator, case_id=february.pk, reason="久拖未决")

    due_soon = make_case_on(date(2026, 3, 16), worker=w3, street=org.b.street)
    declined = make_case_on(date(2026, 3, 3), worker=w4, street=org.b.street)
    transition_on(date(2026, 3, 4), declined, "decline", boss, reason="不属于本局管辖")
    org.cases = {"waiting": waiting, "february": february, "due_soon": due_soon}
    return org


def street_supervisor(org: Org) -> User:
    return make_staff(role=Role.SUPERVISOR, team=org.a.coordinators, display_name="街道督导")


def open_dashboard(client, user: User, period: str = "month"):
    client.force_login(user)
    return client.get(reverse("casework:dashboard"), {"period": period})


def test_the_district_supervisor_sees_this_months_figures_for_both_streets(client, district):
    response = open_dashboard(client, district.supervisor)

    assert response.status_code == 200
    board = response.context["board"]
    # Filed in March: two in A, two in B; the February case is last month's clue.
    assert board.received == 4
    # Resolved (A) and declined (B) in March.
    assert board.closed == 2
    # Worker 甲 filed twice: one worker.
    assert board.workers == 3
    assert board.recovered == Decimal("1000.00")
    assert board.escalations == 1
    assert dict(board.open_by_state)[CaseState.SUBMITTED] == 2
    assert dict(board.open_by_state)[CaseState.ACCEPTED] == 1
    assert board.open_total == 3
    assert (board.overdue, board.due_soon) == (1, 1)
    by_street = {place.name: place for place in board.places}
    a, b = by_street[district.a.street.name], by_street[district.b.street.name]
    assert (a.received, a.closed, a.workers, a.recovered, a.open, a.overdue) == (
        2, 1, 1, Decimal("1000.00"), 2, 1,
    )  # fmt: skip
    assert (b.received, b.closed, b.open, b.due_soon, b.recovered) == (2, 1, 1, 1, 0)
    page = response.content.decode()
    assert "¥1,000.00" in page


def test_the_year_counts_februarys_case_and_payment(client, district):
    board = open_dashboard(client, district.supervisor, "year").context["board"]
    assert (board.received, board.workers) == (5, 4)
    assert board.recovered == Decimal("1123.45")
    everything = open_dashboard(client, district.supervisor, "all").context["board"]
    assert everything.received == 5 and everything.period.start is None


def test_figures_link_to_the_matching_queue(client, district):
    page = open_dashboard(client, district.supervisor).content.decode()
    queue = reverse("casework:queue")
    street = district.a.street.pk
    assert f'href="{queue}?queue=all&amp;date_from=2026-03-01&amp;date_to=2026-03-20"' in page
    assert f'href="{queue}?queue=overdue&amp;street={street}"' in page
    assert f'href="{queue}?queue=due_soon"' in page
    assert f'href="{queue}?queue=all&amp;state=submitted"' in page

    # The overdue link leads to the case the dashboard counted.
    listed = client.get(queue, {"queue": "overdue", "street": street}).context["page"].rows
    assert [case.pk for case in listed] == [district.cases["waiting"].pk]


def test_a_street_supervisor_sees_nothing_of_the_other_street(client, district):
    board = open_dashboard(client, street_supervisor(district)).context["board"]

    assert [place.name for place in board.places] == [district.a.street.name]
    assert (board.received, board.closed, board.workers) == (2, 1, 1)
    assert board.recovered == Decimal("1000.00")
    assert (board.open_total, board.overdue, board.due_soon, board.escalations) == (2, 1, 0, 1)


def test_a_collective_group_with_open_cases_is_listed_for_those_who_see_it(client, district):
    from casework.groups.services import group_add_cases

    org = district
    workers = [make_case_worker(f"骑手{n}") for n in range(10)]
    cases = [
        make_case_on(date(2026, 3, 10), worker=worker, street=org.b.street, platform=org.platform)
        for worker in workers
    ]
    with frozen_now(beijing(date(2026, 3, 11))):
        group = group_add_cases(actor=org.supervisor, case_ids=[c.pk for c in cases])
    assert group.is_collective

    board = open_dashboard(client, org.supervisor).context["board"]
    assert board.groups_total == 1
    assert (board.groups[0], board.groups[0].open_cases, board.groups[0].workers) == (group, 10, 10)
    assert (
        reverse("casework:group_detail", args=[group.pk])
        in open_dashboard(client, org.supervisor).content.decode()
    )
    assert open_dashboard(client, street_supervisor(org)).context["board"].groups_total == 0


@pytest.mark.parametrize("who", ["coordinator", "mediator", "worker", "representative"])
def test_only_supervisors_open_the_dashboard(client, district, who):
    user = {
        "coordinator": district.a.coordinator,
        "mediator": district.a.mediator,
        "worker": district.worker,
        "representative": district.representative,
    }[who]
    response = open_dashboard(client, user)
    assert response.status_code == 404


def test_the_navigation_offers_the_dashboard_to_supervisors_only(client, district):
    link = f'href="{reverse("casework:dashboard")}"'
    client.force_login(district.supervisor)
    assert link in client.get(reverse("casework:inbox")).content.decode()
    client.force_login(district.a.coordinator)
    assert link not in client.get(reverse("casework:queue")).content.decode()
    assert link not in client.get(reverse("casework:inbox")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("casework:dashboard"))
    assert response.status_code == 302


def test_an_unknown_period_shows_this_month(client, district):
    board = open_dashboard(client, district.supervisor, "decade").context["board"]
    assert board.period.key == "month"


def _count_queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("casework:dashboard"))  # sign-in: the user and their scope are read
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("casework:dashboard")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["district", "street"])
def test_the_query_count_does_not_grow_with_the_cases(client, district, who):
    user = district.supervisor if who == "district" else street_supervisor(district)
    load_calendar()  # cached per process: count the page, not the first calendar load
    few = _count_queries(client, user)

    more = [make_case_worker(f"工{n}") for n in range(12)]
    for n, worker in enumerate(more):
        case = make_case_on(
            date(2026, 3, 1 + n), worker=worker, street=(district.a, district.b)[n % 2].street
        )
        pay(case, "10.01", date(2026, 3, 12), district.a.coordinator)
        transition_on(date(2026, 3, 13 + n % 5), case, "decline", district.supervisor, reason="否")

    assert _count_queries(client, user) == few
    assert few <= 15, "issue 7 allows the dashboard 15 queries"


# The day figures (PostgreSQL) ----------------------------------------------------------------


def day_figures() -> list[tuple]:
    from arrears.models import DayFigures

    return sorted(
        DayFigures.objects.exclude(closed=0, escalations=0, recovered=0).values_list(
            "day", "jurisdiction_id", "closed", "escalations", "recovered"
        )
    )


def recounted() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT arrears_day_figures_rebuild()")
    return day_figures()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the day figures are kept by PostgreSQL triggers"
)
def test_the_day_figures_follow_events_payments_and_a_case_moving_street(district):
    org = district
    assert day_figures() == recounted()
    assert (date(2026, 3, 16), org.a.street.pk, 0, 1, Decimal("0.00")) in day_figures()

    waiting, february = district.cases["waiting"], district.cases["february"]
    payment = pay(waiting, "88.80", date(2026, 3, 18), org.a.coordinator)
    transition_on(date(2026, 3, 19), waiting, "withdraw", org.supervisor, reason="已协商")
    assert day_figures() == recounted()

    # Payments and timeline events are append-only on PostgreSQL (casework.audit): the
    # figures must still follow a maintenance role's corrections.
    with maintenance():
        Payment.objects.filter(pk=payment.pk).update(
            paid_on=date(2026, 3, 17), amount=Decimal("80.00")
        )
    Case.objects.filter(pk=february.pk).update(jurisdiction=org.b.street)
    assert day_figures() == recounted()

    # Money the worker has not confirmed is not recovered; confirming it counts it.
    reported = pay(waiting, "5.00", date(2026, 3, 18), org.a.coordinator, status="awaiting")
    assert day_figures() == recounted()
    Payment.objects.filter(pk=reported.pk).update(status="received")
    assert day_figures() == recounted()
    assert (date(2026, 3, 18), org.a.street.pk, 0, 0, Decimal("5.00")) in day_figures()

    with maintenance():  # payments and timeline events are append-only (casework.audit)
        Payment.objects.filter(case=february).delete()
        february.events.all().delete()
    assert day_figures() == recounted()
    assert not [row for row in day_figures() if row[1] == org.b.street.pk and row[3]]
