"""A group's id, from a URL or a form, is resolved for the person asking: staff who see every
case of the group find it; anyone else (another street's staff, workers) gets a 404 and
changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.groups.services import group_add_cases
from casework.timeline.models import CaseEvent
from mediation.choices import SessionStatus
from mediation.documents.models import Document
from mediation.models import MediationSession
from mediation.services.agreements import agreement_draw_up
from mediation.services.sessions import SessionPlan, session_schedule
from tests.factories.cases import (
    cover_streets_with_unit_office,
    make_case,
    make_case_worker,
    make_org,
    put_case_in_state,
)
from tests.mediation.conftest import hold, terms_for

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-04-13", hour=10)]


@pytest.fixture
def org():
    return make_org()


def street_b_group_in_mediation(org):
    """Two complaints of street b against the platform, grouped by street b's coordinator,
    with a group session scheduled by street b's mediator."""
    cases = [
        put_case_in_state(
            make_case(worker=make_case_worker(name), street=org.b.street, platform=org.platform),
            CaseState.VERIFYING,
            org.supervisor,
        )
        for name in ("赵师傅", "钱师傅")
    ]
    group = group_add_cases(actor=org.b.coordinator, case_ids=[c.pk for c in cases])
    session = session_schedule(
        actor=org.b.mediator,
        plan=SessionPlan(
            scheduled_at=timezone.now() + timedelta(days=2),
            mediator=org.b.mediator,
            place="西城街道调解室",
        ),
        group_id=group.pk,
    )
    return group, cases, session


def test_a_coordinator_cannot_put_own_cases_into_another_streets_group(client, org):
    # Given a group of street b in mediation, and a complaint of street a against the same
    # platform
    group, b_cases, session = street_b_group_in_mediation(org)
    own = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    events_before = CaseEvent.objects.filter(case__in=b_cases).count()
    client.force_login(org.a.coordinator)

    # When street a's coordinator posts street b's group on their own case's grouping form
    response = client.post(reverse("casework:case_group", args=[own.pk]), {"group": group.pk})

    # Then the group does not exist for them, and their case stays out of it
    assert response.status_code == 404
    assert Case.objects.get(pk=own.pk).group_id is None
    assert sorted(group.cases.values_list("pk", flat=True)) == sorted(c.pk for c in b_cases)
    # ... nor can they reach street b's mediation through it
    assert client.get(reverse("mediation:page", args=["group", group.pk])).status_code == 404
    cancel = client.post(reverse("mediation:cancel", args=[session.pk]), {"reason": "不需要了"})
    assert cancel.status_code == 404
    assert MediationSession.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED
    assert CaseEvent.objects.filter(case__in=b_cases).count() == events_before
    # ... while street b's coordinator still works with their group
    client.force_login(org.b.coordinator)
    assert client.get(reverse("casework:group_detail", args=[group.pk])).status_code == 200


def test_a_group_is_seen_whole_or_not_at_all(client, org):
    # Given a group the district supervisor made of one complaint of each street
    case_a = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    case_b = make_case(worker=org.other_worker, street=org.b.street, platform=org.platform)
    group = group_add_cases(actor=org.supervisor, case_ids=[case_a.pk, case_b.pk])
    detail = reverse("casework:group_detail", args=[group.pk])

    # Then street a's coordinator, who sees only half of it, sees none of it
    client.force_login(org.a.coordinator)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("mediation:page", args=["group", group.pk])).status_code == 404
    assert (
        client.post(
            reverse("casework:group_action", args=[group.pk, "assign"]),
            {"assignee": org.a.coordinator.pk},
        ).status_code
        == 404
    )
    assert Case.objects.get(pk=case_a.pk).assignee_id is None
    # ... and cannot add to it
    third = make_case(worker=make_case_worker(), street=org.a.street, platform=org.platform)
    response = client.post(reverse("casework:case_group", args=[third.pk]), {"group": group.pk})
    assert response.status_code == 404
    assert Case.objects.get(pk=third.pk).group_id is None
    # ... while the supervisor, who sees both, does
    client.force_login(org.supervisor)
    assert client.get(detail).status_code == 200


def test_a_worker_cannot_open_the_staff_page_of_their_cases_group(client, org):
    # Given the worker's complaint in a group
    own = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    other = make_case(worker=make_case_worker(), street=org.a.street, platform=org.platform)
    group = group_add_cases(actor=org.a.coordinator, case_ids=[own.pk, other.pk])
    url = reverse("casework:group_detail", args=[group.pk])

    # Then the group page, which names the staff who may take the cases, is not theirs
    client.force_login(org.worker)
    response = client.get(url)
    assert response.status_code == 404
    assert org.a.coordinator.username not in response.content.decode()
    # ... nor its actions
    response = client.post(
        reverse("casework:group_action", args=[group.pk, "assign"]),
        {"assignee": org.a.coordinator.pk},
    )
    assert response.status_code == 404
    # ... their own case page still opens, and staff still see the group
    assert client.get(reverse("casework:case_detail", args=[own.pk])).status_code == 200
    client.force_login(org.a.coordinator)
    assert client.get(url).status_code == 200


def test_a_group_agreement_is_not_shown_to_staff_who_see_part_of_the_group(client, org):
    # Given a group the district supervisor made of one complaint of each street, mediated
    # and agreed as one
    cover_streets_with_unit_office(org)
    cases = [
        put_case_in_state(
            make_case(worker=worker, street=street, platform=org.platform),
            CaseState.VERIFYING,
            org.supervisor,
        )
        for worker, street in ((org.worker, org.a.street), (org.other_worker, org.b.street))
    ]
    group = group_add_cases(actor=org.supervisor, case_ids=[c.pk for c in cases])
    hold(org, None, group=group, actor=org.supervisor)  # an agreement follows a held session
    agreement = agreement_draw_up(
        actor=org.supervisor,
        terms=terms_for(cases[0], amounts={c.pk: Decimal("2400.00") for c in cases}),
        group_id=group.pk,
    )
    document = Document.objects.get(object_id=agreement.pk)

    # Then street a's mediator, on street a's case, sees no agreement naming street b's worker
    client.force_login(org.a.mediator)
    page = client.get(reverse("mediation:page", args=["case", cases[0].pk]))
    assert page.status_code == 200
    assert cases[1].reference not in page.content.decode()
    assert not page.context["view"].agreements
    assert client.get(reverse("mediation:document_status", args=[document.pk])).status_code == 404
    # ... while the supervisor, who sees both cases, does
    client.force_login(org.supervisor)
    page = client.get(reverse("mediation:page", args=["group", group.pk]))
    assert [a.agreement.pk for a in page.context["view"].agreements] == [agreement.pk]
    assert client.get(reverse("mediation:document_status", args=[document.pk])).status_code == 200
