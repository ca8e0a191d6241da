"""Issue 19: the staff intake POST writes each table once, whatever the number of parties and
people told (only the links pushed to each reader after commit are read per reader), and the
audit chain takes the whole filing in one append that still verifies."""

import pytest
from django.urls import reverse

from casework.audit.models import ChainEntry
from casework.audit.verify import verify_chain
from casework.cases.models import Case
from casework.core.access import case_visible, visible_cases_q
from casework.core.outbound import capture_outbound
from casework.core.roles import TEAM_ROLES, Role
from casework.notifications.models import Notification
from casework.organisation.access import scope_for
from casework.organisation.choices import TeamKind
from casework.organisation.models import Membership, Team, User
from platforms.models import Company
from tests.casework.intake.test_intake_pages import STAFF_POST
from tests.factories.organisation import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]

# The request's own reads (session; the signed-in user and their scope are kept between
# requests: casework/organisation/principal.py); in the transaction: savepoint, the caller's
# account, the reference number, the case and its history, parties and theirs, the "filed"
# event, the clock and its history, the team, its notifications, one chain append, release.
# After commit nothing is read: the team's members may open the case whatever their role
# (pinned below), so their links need no scope.
# Before issue 19: 34 (a savepoint of its own, three statements for the number, one INSERT per
# party, a read of the new case's open clocks, one chain append per table written); 26 before
# the configuration tables were kept in process (the form's street and platform, the routing
# rules and the covering team, the clock rules: casework/core/table_copies.py), the signed-in
# user kept between requests, and each reader's link answered without their scope and the
# case's read (3 queries a reader).
INTAKE_QUERIES = 15
PER_READER = 0


def _station(street) -> Team:
    return Team.objects.get(kind=TeamKind.SERVICE_STATION, covers=street)


def _post(client, street, platform, **extra):
    data = STAFF_POST | {
        "jurisdiction": street.pk,
        "platform": platform.pk,
        "worker_name": "王师傅",
        **extra,
    }
    response = client.post(reverse("casework:staff_intake"), data)
    assert response.status_code == 302, response.context["form"].errors
    return response


@pytest.mark.parametrize("with_operator", [False, True])
def test_the_staff_intake_writes_each_table_once(
    client,
    street,
    platform,
    coordinator,
    with_operator,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    station = _station(street)
    make_staff(team=station, display_name="站长")
    extra = {}
    if with_operator:  # a second party, and a second person told: the same statements
        Company.objects.create(name="杭州蜂鸟配送站", short_name="蜂鸟站", kind="operator")
        make_staff(team=station, display_name="站员")
        extra["operator"] = "蜂鸟站"
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):  # its pushes leave here
        _post(client, street, platform)  # the caller's account exists from now on
    readers = 2 if with_operator else 1
    # The operator named is looked up by the form (1); a further reader costs nothing more.
    expected = INTAKE_QUERIES + (1 if with_operator else 0) + (readers - 1) * PER_READER
    with (
        django_assert_num_queries(expected),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _post(client, street, platform, **extra)


def test_a_filing_is_one_link_set_of_the_chain_and_verifies(
    client, street, platform, coordinator, django_capture_on_commit_callbacks
):
    make_staff(team=_station(street), display_name="站长")
    Company.objects.create(name="杭州蜂鸟配送站", short_name="蜂鸟站", kind="operator")
    client.force_login(coordinator)
    with capture_outbound() as sent, django_capture_on_commit_callbacks(execute=True):
        _post(client, street, platform, operator="蜂鸟站")
    case = Case.objects.get()
    assert case.history.get().history_change_reason == "filed"
    assert [p.position for p in case.parties.order_by("position")] == [1, 2]
    assert case.parties.model.history.filter(case_id=case.pk).count() == 2
    assert case.events.get().kind == "filed"
    assert case.deadlines.count() == case.deadlines.model.history.count() >= 1
    assert Notification.objects.filter(case=case).count() == 1
    chained = {(e.table, e.row_id) for e in ChainEntry.objects.all()}
    parties, clocks = case.parties.model.history.all(), case.deadlines.model.history.all()
    history_rows = [
        ("casework_historicalcase", case.history.get().history_id),
        *(("casework_historicalcaseparty", h.history_id) for h in parties),
        ("casework_caseevent", case.events.get().pk),
        *(("casework_historicaldeadline", h.history_id) for h in clocks),
    ]
    missing = [row for row in history_rows if (row[0], str(row[1])) not in chained]
    assert not missing, f"rows the audit log does not cover: {missing}"
    result = verify_chain()
    assert result.ok, [str(problem) for problem in result.problems]
    pushes = [s for s in sent if s.kind == "push"]
    assert len(pushes) == 1, "the team and the queues are told once, after commit"
    assert f"case.{case.pk}" in pushes[0].payload["groups"]


def test_the_filer_told_as_one_of_the_team_is_not_read_again(
    client,
    street,
    platform,
    coordinator,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """The team's member who files is told through the request's own user object, not a
    second copy of their row (whatever was worked out about them is not worked out again)."""
    Membership.objects.create(user=coordinator, team=_station(street), role=Role.COORDINATOR)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, street, platform)
    with (
        django_assert_num_queries(INTAKE_QUERIES),
        django_capture_on_commit_callbacks(execute=True) as after_commit,
    ):
        _post(client, street, platform)
    assert after_commit
    notification = Notification.objects.filter(recipient=coordinator).latest("pk")
    assert notification.kind == "new_case"


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_every_member_of_the_team_told_may_open_the_case(
    client, street, platform, coordinator, role, django_capture_on_commit_callbacks
):
    """The new-case notification links each member of the case's team to the case without
    working out their scope: the case page must let every one of them in, whatever their
    role (the same answer as the page's own query)."""
    member = make_staff(team=_station(street), role=role)
    client.force_login(coordinator)
    with capture_outbound() as sent, django_capture_on_commit_callbacks(execute=True):
        _post(client, street, platform)
    case = Case.objects.get()
    member = User.objects.get(pk=member.pk)
    assert case_visible(scope_for(member), case)
    assert Case.objects.filter(visible_cases_q(scope_for(member)), pk=case.pk).exists()
    row = Notification.objects.get(recipient=member)
    assert row.kind == "new_case" and any(s.kind == "push" for s in sent)
