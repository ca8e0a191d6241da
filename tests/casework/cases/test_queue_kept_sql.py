"""The queue's SQL is kept between requests (casework/core/kept_sql.py): what the page lists
still follows the database, the filters, the user's scope and the day."""

from datetime import timedelta

import pytest
from django.urls import reverse

from casework.clocks.models import Deadline
from casework.organisation.models import Membership
from tests.factories.cases import make_case, make_case_worker, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-03-02")]


@pytest.fixture
def org():
    return make_org()


def _listed(client, **query) -> set[int]:
    response = client.get(reverse("casework:queue"), query)
    assert response.status_code == 200
    return {row.pk for row in response.context["page"].rows}


def test_a_case_filed_after_the_first_load_is_listed_on_the_next(client, org):
    client.force_login(org.a.coordinator)
    first = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    assert _listed(client) == {first.pk}
    second = make_case(worker=make_case_worker(), street=org.a.street, platform=org.platform)
    assert _listed(client) == {first.pk, second.pk}
    assert _listed(client, q=second.worker_name) >= {second.pk}
    assert _listed(client, category="account_ban") == set()


def test_the_overdue_queue_follows_the_day(client, org, now_is, settings):
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600  # the same session a week later
    client.force_login(org.a.coordinator)
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    due = Deadline.objects.filter(case=case, status="running").order_by("due_on").first()
    assert _listed(client, queue="overdue") == set()
    now_is(due.due_on + timedelta(days=1))
    assert _listed(client, queue="overdue") == {case.pk}


def test_a_coordinator_who_leaves_the_team_no_longer_lists_its_cases(client, org):
    client.force_login(org.a.coordinator)
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    assert _listed(client) == {case.pk}
    Membership.objects.filter(user=org.a.coordinator).delete()
    assert client.get(reverse("casework:queue")).status_code in (200, 404)
    assert case.pk not in _listed_or_nothing(client)


def _listed_or_nothing(client) -> set[int]:
    response = client.get(reverse("casework:queue"))
    if response.status_code != 200:
        return set()
    return {row.pk for row in response.context["page"].rows}
