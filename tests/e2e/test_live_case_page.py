"""Two coordinators: A has the case page open; B accepts the case in another browser. A's
page shows the new status and the new buttons without a reload, and a note A had started
typing in an action's reason is not swept away (issue 14)."""

import pytest
from playwright.sync_api import expect

from casework.cases.services.transitions import case_transition
from tests.e2e.steps import staff_signs_in
from tests.factories.cases import make_case, make_org
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_case_page_shows_another_coordinators_change_without_reload(
    asgi_server, desktop_page, browser
):
    restore_seeded_rows()
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street)
    url = f"{asgi_server}/cases/{case.pk}/"

    watcher = desktop_page
    staff_signs_in(watcher, asgi_server, org.a.coordinator.username)
    watcher.goto(url)
    expect(watcher.locator("body")).to_have_attribute("data-live", "connected")
    expect(watcher.locator("#case-state")).to_have_text("Submitted")
    watcher.evaluate("window.__sameDocument = true")

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    try:
        actor = context.new_page()
        staff_signs_in(actor, asgi_server, org.a.station_coordinator.username)
        actor.goto(url)
        actor.get_by_text("Accept", exact=True).click()
        actor.get_by_role("button", name="Confirm: Accept").click()
        expect(actor.locator("#case-state")).to_have_text("Accepted")
    finally:
        context.close()

    expect(watcher.locator("#case-state")).to_have_text("Accepted", timeout=10_000)
    actions = watcher.locator("#case-actions")
    expect(actions.get_by_text("Start verification", exact=True)).to_be_visible()
    expect(actions.get_by_text("Accept", exact=True)).to_have_count(0)
    assert watcher.evaluate("window.__sameDocument === true"), "the case page reloaded"

    # A starts typing a reason; B moves the case on meanwhile: A's text stays, the panel
    # says the case changed, and shows the current actions when A asks.
    actions.get_by_text("Transfer to another authority", exact=True).click()
    watcher.locator("#reason-transfer").fill("属于外区管辖")
    case_transition(actor=org.supervisor, case_id=case.pk, name="start_verification")
    expect(watcher.locator("#case-state")).to_have_text("Verifying", timeout=10_000)
    expect(watcher.locator("#case-actions-changed")).to_be_visible()
    expect(watcher.locator("#reason-transfer")).to_have_value("属于外区管辖")
    watcher.get_by_role("button", name="Show the current actions").click()
    expect(actions.get_by_text("Transfer to another authority", exact=True)).to_have_count(0)

    # The refreshed buttons work: their forms carry the case as it is now.
    actions.get_by_text("Ask the employer to respond", exact=True).click()
    watcher.get_by_role("button", name="Confirm: Ask the employer to respond").click()
    expect(watcher.locator("#case-state")).to_have_text("Awaiting employer response")
