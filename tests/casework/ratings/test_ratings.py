"""The worker's verdict (好差评) on a concluded case, and the review a bad one starts."""

from datetime import date

import pytest
from django.urls import reverse

from casework.clocks.models import Deadline
from casework.clocks.sweep import sweep_deadlines
from casework.core.errors import ActionRefused, CaseNotFound
from casework.ratings.models import CaseRating, RatingReview, ReviewStatus
from casework.ratings.services import case_rate, review_close, review_record_callback
from casework.timeline.models import CaseEvent
from tests.clock import beijing
from tests.factories.cases import make_case, make_org, put_case_in_state

# Monday 20 April 2026; the review's 15 working days run to Wednesday 13 May (1-5 May: the
# Labour Day holiday, with a make-up working day).
pytestmark = pytest.mark.now("2026-04-20")


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def resolved(org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    return put_case_in_state(case, "resolved", org.supervisor)


def rate(client, case, level, comment=""):
    return client.post(
        reverse("casework:case_rate", args=[case.pk]), {"level": level, "comment": comment}
    )


def test_the_worker_rates_from_their_case_page(org, resolved, client):
    client.force_login(org.worker)
    page = client.get(reverse("casework:case_detail", args=[resolved.pk])).content.decode()
    assert "非常满意" in page and "非常不满意" in page, "the five levels are offered"
    assert rate(client, resolved, 4, "协调员很耐心").status_code == 302
    rating = CaseRating.objects.get(case=resolved)
    assert (rating.level, rating.comment, rating.worker) == (4, "协调员很耐心", org.worker)
    page = client.get(reverse("casework:case_detail", args=[resolved.pk])).content.decode()
    assert "满意" in page and "协调员很耐心" in page
    assert CaseEvent.objects.filter(case=resolved, kind="rated", is_public=True).count() == 1
    assert not RatingReview.objects.exists(), "a good rating opens no review"


def test_another_worker_cannot_rate_the_case(org, resolved, client):
    client.force_login(org.other_worker)
    assert rate(client, resolved, 1).status_code == 404
    with pytest.raises(CaseNotFound):
        case_rate(actor=org.other_worker, case_id=resolved.pk, level=1)
    with pytest.raises(ActionRefused):  # staff see the case but do not rate it
        case_rate(actor=org.a.coordinator, case_id=resolved.pk, level=5)
    assert not CaseRating.objects.exists()


def test_an_open_case_cannot_be_rated_yet(org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    with pytest.raises(ActionRefused, match="办结后"):
        case_rate(actor=org.worker, case_id=case.pk, level=5)


def test_the_rating_can_be_changed_on_day_6_but_not_on_day_8(org, resolved, now_is):
    case_rate(actor=org.worker, case_id=resolved.pk, level=3)
    now_is("2026-04-26", hour=8)  # 6 days later
    case_rate(actor=org.worker, case_id=resolved.pk, level=5, comment="后来补发了")
    assert CaseRating.objects.get(case=resolved).level == 5
    assert CaseRating.objects.count() == 1, "a second rating updates the first"
    now_is("2026-04-28", hour=10)  # 8 days after the first rating
    with pytest.raises(ActionRefused, match="不能再修改"):
        case_rate(actor=org.worker, case_id=resolved.pk, level=1)
    rating = CaseRating.objects.get(case=resolved)
    assert (rating.level, rating.comment) == (5, "后来补发了")
    assert rating.history.count() == 2


@pytest.mark.parametrize(
    "level, comment",
    [(0, ""), (6, ""), ("满意", ""), ("", ""), (1, "x" * 1001), (2, "差\x00评")],
)
def test_bad_input_changes_nothing(org, resolved, client, level, comment):
    client.force_login(org.worker)
    response = rate(client, resolved, level, comment)
    assert response.status_code in (302, 400)
    assert not CaseRating.objects.exists() and not RatingReview.objects.exists()


def test_a_bad_rating_opens_a_review_with_its_clock(org, resolved, now_is):
    case_rate(actor=org.worker, case_id=resolved.pk, level=1, comment="没人回电话")
    review = RatingReview.objects.get(case=resolved)
    assert review.status == ReviewStatus.AWAITING_CALLBACK
    clock = review.deadline
    assert clock.rule.key == "RATING_REVIEW" and clock.status == "running"
    assert (clock.started_on, clock.due_on) == (date(2026, 4, 20), date(2026, 5, 13))
    # Archiving the case does not end the review's clock: it is off the case's path.
    from casework.cases.services.transitions import case_transition

    case_transition(actor=org.a.coordinator, case_id=resolved.pk, name="close")
    assert Deadline.objects.get(pk=clock.pk).status == "running"
    # The sweep flags it overdue once its due date passes.
    sweep_deadlines(now=beijing("2026-05-13", 8))
    assert Deadline.objects.get(pk=clock.pk).breached_at is None, "due today: not yet overdue"
    sweep_deadlines(now=beijing("2026-05-14", 8))
    assert Deadline.objects.get(pk=clock.pk).breached_at is not None


def test_the_review_is_called_back_and_put_right_or_not_upheld(org, resolved, client):
    case_rate(actor=org.worker, case_id=resolved.pk, level=2)
    review = RatingReview.objects.get(case=resolved)
    with pytest.raises(ActionRefused):  # put right before the call-back
        review_close(actor=org.a.coordinator, review_id=review.pk, upheld=True, outcome="已补")
    with pytest.raises(ActionRefused):  # a coordinator does not record the call-back
        review_record_callback(actor=org.a.coordinator, review_id=review.pk, findings="…")
    client.force_login(org.worker)
    url = reverse("casework:review_callback", args=[review.pk])
    assert client.post(url, {"findings": "工人自己回访"}).status_code == 404
    client.force_login(org.supervisor)
    assert client.post(url, {"findings": "工人反映协调员未及时告知进展。"}).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUTTING_RIGHT and review.called_back_by == org.supervisor
    with pytest.raises(ActionRefused):  # only a supervisor finds the rating not upheld
        review_close(actor=org.a.coordinator, review_id=review.pk, upheld=False, outcome="…")
    review_close(
        actor=org.a.coordinator, review_id=review.pk, upheld=True, outcome="已向工人说明并道歉。"
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUT_RIGHT and review.deadline.status == "met"
    assert review.history.count() == 3
    client.force_login(org.worker)
    page = client.get(reverse("casework:case_detail", args=[resolved.pk])).content.decode()
    assert "已整改" in page


def test_supervisors_see_satisfaction_by_team_street_category_and_channel(
    org, client, django_assert_max_num_queries
):
    for level in (5, 4, 1):
        case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
        put_case_in_state(case, "resolved", org.supervisor)
        case_rate(actor=org.worker, case_id=case.pk, level=level)
    client.force_login(org.supervisor)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("casework:satisfaction"))
    text = page.content.decode()
    assert page.status_code == 200 and "66.7%" in text and org.a.street.name in text
    assert "按渠道" in text and "按类别" in text
    for user in (org.worker, org.a.coordinator):
        client.force_login(user)
        assert client.get(reverse("casework:satisfaction")).status_code == 404


def test_the_worker_is_texted_a_link_to_rate_when_the_case_concludes(
    org, sms_outbox, django_capture_on_commit_callbacks
):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    put_case_in_state(case, "verifying", org.supervisor)
    sms_outbox.clear()
    from casework.cases.services.transitions import case_transition

    with django_capture_on_commit_callbacks(execute=True):
        case_transition(actor=org.supervisor, case_id=case.pk, name="resolve", waiver="放弃")
    # One text for the step, linking to the page with the rating form; the request to rate
    # waits in the inbox.
    texts = [m.body for m in sms_outbox if m.to == org.worker.mobile]
    assert len(texts) == 1 and f"/cases/{case.pk}/" in texts[0], texts
    assert org.worker.notifications.filter(kind="rating_asked", case=case).count() == 1
