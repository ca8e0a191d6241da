"""Two browsers: a worker files a complaint; the coordinator's open queue shows it without a
reload, within 2 seconds; the worker's open case page shows the acceptance live."""

import pytest
from playwright.sync_api import expect

from casework.core.roles import Role
from casework.organisation.choices import TeamKind
from platforms.models import Company
from tests.e2e.steps import staff_signs_in, worker_files_a_complaint, worker_signs_in
from tests.factories.organisation import make_staff, make_street, make_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_new_complaint_appears_in_the_open_queue_without_reload(
    asgi_server, phone_page, desktop_page
):
    street = make_street("西兴街道")
    station = make_team(unit=street, kind=TeamKind.SERVICE_STATION)
    make_staff(role=Role.COORDINATOR, team=station, username="li.ming")
    Company.objects.create(
        name="杭州速达网络科技有限公司",
        short_name="速达外卖",
        kind="platform",
        industry="food_delivery",
    )

    coordinator = desktop_page
    staff_signs_in(coordinator, asgi_server, "li.ming")
    coordinator.goto(asgi_server + "/work/")
    expect(coordinator.locator("body")).to_have_attribute("data-live", "connected")
    coordinator.evaluate("window.__sameDocument = true")

    worker = phone_page
    worker_signs_in(worker, asgi_server, "13800138001")
    reference = worker_files_a_complaint(
        worker, platform="速达外卖", street="西兴街道", with_photo=False
    )

    expect(coordinator.locator("#live-queue")).to_contain_text(reference, timeout=2000)
    expect(coordinator.locator("#toasts")).to_contain_text(reference, timeout=2000)
    assert coordinator.evaluate("window.__sameDocument === true"), "the queue page reloaded"
    expect(coordinator.locator("#unread-badge")).to_have_text("1")

    worker.get_by_role("link", name="Open my case").click()
    expect(worker.locator("body")).to_have_attribute("data-live", "connected")
    coordinator.get_by_role("link", name=reference, exact=True).click()
    coordinator.get_by_text("Accept", exact=True).click()
    coordinator.get_by_role("button", name="Confirm: Accept").click()
    expect(worker.get_by_test_id("status-headline")).to_have_text(
        "Your complaint has been accepted.", timeout=2000
    )
