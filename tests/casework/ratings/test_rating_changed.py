"""A worker who changes their rating within the 7 days: a bad rating turned good closes its
review as "the worker changed the rating" (its clock stopped, its course kept in the history);
a good rating turned bad opens a review, with a new clock."""

import pytest
from django.urls import reverse

from casework.clocks.models import DeadlineStatus
from casework.ratings.models import RatingReview, ReviewStatus
from casework.ratings.selectors import open_reviews_for_user
from casework.ratings.services import case_rate, review_record_callback
from casework.timeline.models import CaseEvent
from tests.factories.cases import make_case, make_org, put_case_in_state

# Monday 20 April 2026 (as the other rating tests: the review runs over the Labour Day break).
pytestmark = pytest.mark.now("2026-04-20")


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def resolved(org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    return put_case_in_state(case, "resolved", org.supervisor)


def review_of(case) -> RatingReview:
    return RatingReview.objects.select_related("deadline").get(case=case)


def test_a_bad_rating_changed_to_good_closes_its_review_and_stops_its_clock(
    org, resolved, client, now_is
):
    case_rate(actor=org.worker, case_id=resolved.pk, level=1, comment="没人理我")
    review = review_of(resolved)
    assert review.status == ReviewStatus.AWAITING_CALLBACK
    assert review.deadline.status == DeadlineStatus.RUNNING

    now_is("2026-04-23", hour=15)  # three days later the wages were paid after all
    case_rate(actor=org.worker, case_id=resolved.pk, level=4, comment="后来解决了")

    review = review_of(resolved)
    assert review.status == ReviewStatus.WITHDRAWN, "nothing is left to put right"
    assert review.closed_by == org.worker and review.closed_at is not None
    assert review.deadline.status == DeadlineStatus.CANCELLED, "its clock no longer runs"
    statuses = list(review.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["awaiting_callback", "withdrawn"], "the review's course is kept"
    assert open_reviews_for_user(user=org.supervisor) == [], "off the supervisors' list"

    client.force_login(org.supervisor)
    page = client.get(reverse("casework:case_detail", args=[resolved.pk])).content.decode()
    assert "工人已改评" in page, "staff read why the review closed"


def test_a_good_rating_changed_to_bad_opens_a_review_with_its_clock(org, resolved, now_is):
    case_rate(actor=org.worker, case_id=resolved.pk, level=5)
    assert not RatingReview.objects.exists()
    now_is("2026-04-22", hour=9)
    case_rate(actor=org.worker, case_id=resolved.pk, level=2, comment="钱又没到账")
    review = review_of(resolved)
    assert review.status == ReviewStatus.AWAITING_CALLBACK
    assert review.deadline.status == DeadlineStatus.RUNNING
    assert review.deadline.started_on.isoformat() == "2026-04-22"


def test_bad_good_bad_opens_the_same_review_again_with_a_new_clock(org, resolved, now_is):
    case_rate(actor=org.worker, case_id=resolved.pk, level=1)
    first_clock = review_of(resolved).deadline
    review_record_callback(
        actor=org.supervisor, review_id=review_of(resolved).pk, findings="工人称已收到部分工资"
    )
    now_is("2026-04-21", hour=10)
    case_rate(actor=org.worker, case_id=resolved.pk, level=3)
    assert review_of(resolved).status == ReviewStatus.WITHDRAWN
    now_is("2026-04-24", hour=10)
    case_rate(actor=org.worker, case_id=resolved.pk, level=1, comment="剩下的还是没给")

    review = review_of(resolved)
    assert review.status == ReviewStatus.AWAITING_CALLBACK
    assert review.deadline_id != first_clock.pk, "a new clock from the new bad rating"
    assert review.deadline.started_on.isoformat() == "2026-04-24"
    first_clock.refresh_from_db()
    assert first_clock.status == DeadlineStatus.CANCELLED
    old = review.history.filter(status="putting_right").values_list("findings", flat=True)
    assert "工人称已收到部分工资" in old, "the first call-back stays in the history"
    opened = CaseEvent.objects.filter(case=resolved, kind="rating_review").count()
    assert opened >= 4, "opened, called back, closed by the change, opened again"


def test_changing_a_bad_rating_to_another_bad_one_keeps_the_one_review(org, resolved):
    case_rate(actor=org.worker, case_id=resolved.pk, level=2)
    review = review_of(resolved)
    case_rate(actor=org.worker, case_id=resolved.pk, level=1, comment="更差了")
    again = review_of(resolved)
    assert (again.pk, again.deadline_id, again.status) == (
        review.pk,
        review.deadline_id,
        ReviewStatus.AWAITING_CALLBACK,
    )
