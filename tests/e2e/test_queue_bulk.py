"""A coordinator on a phone ticks two unassigned rows of the queue and claims them at once;
one was claimed by a colleague a moment before: the page says, per case, what was done and
what was refused and why. The rows stay compact and the page never scrolls sideways."""

import pytest
from playwright.sync_api import expect

from casework.cases.models import Case
from casework.cases.services.handling import case_claim
from tests.e2e.steps import staff_signs_in
from tests.factories.cases import make_case, make_case_worker, make_org
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bulk_claim_on_a_phone(live_server, phone_page):
    restore_seeded_rows()
    org = make_org()
    first, second = (make_case(worker=make_case_worker(), street=org.a.street) for _ in range(2))
    page = phone_page
    staff_signs_in(page, live_server.url, org.a.coordinator.username)
    page.goto(f"{live_server.url}/work/?queue=unassigned")

    for case in (first, second):
        box = page.get_by_label(case.reference, exact=True)
        link = page.get_by_role("link", name=case.reference, exact=True)
        box_at, link_at = box.bounding_box(), link.bounding_box()
        assert abs(box_at["y"] - link_at["y"]) < link_at["height"], "tick box beside the number"
        box.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    case_claim(actor=org.a.station_coordinator, case_id=second.pk)
    page.get_by_role("button", name="Claim them").click()

    messages = page.locator(".messages")
    expect(messages).to_contain_text(f"{first.reference}: the case is yours now.")
    expect(messages).to_contain_text(f"{second.reference}: 站长 has already taken this case.")
    assert Case.objects.get(pk=first.pk).assignee == org.a.coordinator
    assert Case.objects.get(pk=second.pk).assignee == org.a.station_coordinator
