"""Two coordinators see the same unassigned case; one claims it. The other, on a stale page,
must be told who has it, and change nothing, unless they reassign it on purpose."""

import pytest
from django.test import Client
from django.urls import reverse

from casework.cases.models import Case
from tests.factories.cases import make_case, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12", hour=10)]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def said(response) -> list[str]:
    """The messages the page the user lands on shows them (posts follow their redirect)."""
    return [str(m) for m in response.context["messages"]]


def test_a_claim_from_a_stale_page_is_refused_and_names_who_has_the_case():
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street)
    first, second = signed_in(org.a.station_coordinator), signed_in(org.a.coordinator)
    url = reverse("casework:case_assign", args=[case.pk])

    first.post(url, {"claim": "1", "expected_assignee": "0"}, follow=True)
    refused = second.post(url, {"claim": "1", "expected_assignee": "0"}, follow=True)

    case = Case.objects.get(pk=case.pk)
    assert case.assignee == org.a.station_coordinator
    assert said(refused) == [
        f"{org.a.station_coordinator.name}已认领此案件。如需接手，请重新指派。"
    ]
    assert case.history.filter(assignee=org.a.coordinator).count() == 0


def test_a_reassignment_from_a_stale_page_is_refused_but_a_deliberate_one_works():
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street)
    url = reverse("casework:case_assign", args=[case.pk])
    signed_in(org.a.station_coordinator).post(url, {"claim": "1"})
    second = signed_in(org.a.coordinator)

    stale = second.post(
        url, {"assignee": org.a.coordinator.pk, "expected_assignee": "0"}, follow=True
    )
    assert Case.objects.get(pk=case.pk).assignee == org.a.station_coordinator
    assert "指派" in said(stale)[0] and "已保存" not in said(stale)[0]

    deliberate = second.post(
        url,
        {"assignee": org.a.coordinator.pk, "expected_assignee": org.a.station_coordinator.pk},
        follow=True,
    )
    assert Case.objects.get(pk=case.pk).assignee == org.a.coordinator
    assert said(deliberate) == ["指派已保存。"]


def test_claiming_ones_own_case_again_changes_nothing():
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street)
    client = signed_in(org.a.coordinator)
    url = reverse("casework:case_assign", args=[case.pk])
    client.post(url, {"claim": "1"})
    events = case.events.count()
    client.post(url, {"claim": "1"})
    assert Case.objects.get(pk=case.pk).assignee == org.a.coordinator
    assert case.events.count() == events
