"""Issue 20's 好差评 in a browser: the worker rates a resolved case on a 390 px phone; a poor
rating opens a review the supervisor sees on the satisfaction page at a desk, follows to the
case and records the call-back. Every page passes axe-core and shows no code name."""

import pytest
from playwright.sync_api import expect

from casework.ratings.models import CaseRating, RatingReview
from tests.e2e.newcomer import looks_right, signed_in
from tests.factories.cases import make_case, make_org, put_case_in_state
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_worker_rates_on_the_phone_and_the_supervisor_calls_back(browser, live_server):
    restore_seeded_rows()
    base = live_server.url
    org = make_org()
    org.unit_office.covers.add(org.a.street)
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    put_case_in_state(case, "resolved", org.supervisor)

    phone = signed_in(browser, base, org.worker, phone=True)
    phone.goto(f"{base}/cases/{case.pk}/")
    panel = phone.get_by_test_id("rating-panel")
    expect(panel.get_by_role("heading")).to_have_text("Rate how we handled your case")
    looks_right(phone, "the worker's resolved case with the rating form")
    panel.get_by_label("Satisfied", exact=True).check()
    panel.get_by_role("button", name="Send my rating").click()
    expect(phone.get_by_test_id("rating-level")).to_have_text("Satisfied")
    # Changed within the week: the worker thinks again and says why.
    panel = phone.get_by_test_id("rating-panel")
    panel.get_by_label("Dissatisfied", exact=True).check()
    panel.get_by_label("Anything you want to tell us (optional)").fill("协调员两周没有回电话")
    panel.get_by_role("button", name="Change my rating").click()
    expect(phone.get_by_test_id("rating-level")).to_have_text("Dissatisfied: 协调员两周没有回电话")
    expect(phone.get_by_test_id("review-status")).to_contain_text("Awaiting the call-back")
    looks_right(phone, "the worker's case with a rating under review")
    assert CaseRating.objects.get(case=case).level == 2

    desk = signed_in(browser, base, org.supervisor)
    desk.goto(f"{base}/satisfaction/")
    looks_right(desk, "the satisfaction page")
    desk.get_by_role("link", name=case.reference).click()
    assert desk.url.startswith(f"{base}/cases/{case.pk}/")
    desk.get_by_label("What the call-back found").fill("工人反映协调员未及时告知进展。")
    desk.get_by_role("button", name="Record the call-back").click()
    expect(desk.get_by_test_id("review-status")).to_contain_text("Being put right")
    assert RatingReview.objects.get(case=case).called_back_by == org.supervisor
    phone.context.close()
    desk.context.close()
