"""The unread badge: hidden at 0 (it used to show a red "0"), shown live when a notification
arrives, and hidden again live once the notification is opened in another tab."""

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import staff_signs_in
from tests.factories.cases import make_case, make_org

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_badge_is_hidden_at_zero_shown_live_and_hidden_again_when_read(
    asgi_server, desktop_page
):
    org = make_org()
    coordinator = desktop_page
    staff_signs_in(coordinator, asgi_server, org.a.station_coordinator.username)
    coordinator.goto(asgi_server + "/work/")
    expect(coordinator.locator("body")).to_have_attribute("data-live", "connected")
    badge = coordinator.locator("#unread-badge")
    expect(badge).to_be_hidden()

    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)

    expect(badge).to_be_visible(timeout=3000)
    expect(badge).to_have_text("1")

    # The coordinator opens the notification from the inbox in a second tab
    inbox = coordinator.context.new_page()
    inbox.goto(asgi_server + "/notifications/")
    inbox.get_by_role("link", name=case.reference).click()
    expect(inbox).to_have_url(f"{asgi_server}/cases/{case.pk}/")
    expect(inbox.locator("#unread-badge")).to_be_hidden()
    # and the first tab's badge follows without a reload
    expect(badge).to_be_hidden(timeout=3000)
