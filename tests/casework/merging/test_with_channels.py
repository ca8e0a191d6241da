"""Where merging meets the upstream channels and the ratings: the merge page offers the
duplicate finder's candidates, a merge moves the work orders (their replies are then owed from
the survivor), and an upstream reply tells the worker's own rating."""

import pytest
from django.urls import reverse

from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.channels.models import UpstreamOrder
from casework.channels.replies import reply_draft
from casework.merging.services import case_merge
from casework.ratings.services import case_rate
from tests.casework.channels.helpers import register
from tests.casework.merging.test_merge import duplicates, media_root  # noqa: F401
from tests.factories.cases import REASON, make_org, put_case_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]


@pytest.fixture
def org():
    return make_org()


def test_the_merge_page_shows_the_likely_duplicates_with_how_alike_they_are(org, client):
    survivor, merged = duplicates(org)
    client.force_login(org.a.coordinator)
    page = client.get(reverse("casework:case_merge", args=[survivor.pk])).content.decode()
    listed = page.split('data-testid="finder-candidates"')[1].split("</ul>")[0]
    assert merged.reference in listed
    assert "%" in listed
    preview = reverse("casework:case_merge_preview", args=[merged.pk, survivor.pk])
    assert preview in listed


def test_a_merge_moves_the_work_orders_to_the_case_that_continues(org):
    first, _ = register(org.a.coordinator, org.a.street, reference="12345-0001")
    second, _ = register(org.a.coordinator, org.a.street, reference="12345-0002")
    assert first.worker_id == second.worker_id
    merge = case_merge(
        actor=org.a.coordinator, merged_id=second.pk, survivor_id=first.pk, reason=REASON
    )
    assert Case.objects.get(pk=second.pk).state == CaseState.MERGED
    assert set(UpstreamOrder.objects.filter(case=first).values_list("reference", flat=True)) == {
        "12345-0001",
        "12345-0002",
    }
    assert merge.moved["upstream_orders"] == 1
    moved = UpstreamOrder.objects.get(reference="12345-0002")
    assert moved.history.latest().history_user == org.a.coordinator


def test_the_reply_upstream_tells_the_workers_own_rating(org):
    case, _ = register(org.a.coordinator, org.a.street)
    put_case_in_state(case, "resolved", org.supervisor)
    case_rate(actor=case.worker, case_id=case.pk, level=4, comment="处理及时")
    order = UpstreamOrder.objects.get(case=case)
    drafted = reply_draft(actor=org.a.coordinator, order_id=order.pk)
    assert "来电人满意度：满意" in drafted.reply_text
