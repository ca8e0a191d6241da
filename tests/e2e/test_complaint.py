"""A worker files a complaint with a photo on a phone; a coordinator accepts it; the worker
sees the new status. In English, so the test reads the same as the steps a user follows."""

import pytest
from playwright.sync_api import expect

from casework.cases.models import Case
from casework.core.roles import Role
from casework.organisation.choices import TeamKind
from platforms.models import Company
from tests.e2e.steps import staff_signs_in, worker_files_a_complaint, worker_signs_in
from tests.factories.organisation import make_staff, make_street, make_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MOBILE = "13800138001"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_worker_files_with_a_photo_coordinator_accepts_worker_sees_it(
    live_server, phone_page, desktop_page
):
    street = make_street("西兴街道")
    make_team(unit=street, kind=TeamKind.SERVICE_STATION)
    make_staff(role=Role.COORDINATOR, team=make_team(unit=street), username="li.ming")
    Company.objects.create(
        name="杭州速达网络科技有限公司",
        short_name="速达外卖",
        kind="platform",
        industry="food_delivery",
    )

    worker = phone_page
    worker_signs_in(worker, live_server.url, MOBILE)
    number = worker_files_a_complaint(worker, platform="速达外卖", street="西兴街道")
    assert worker.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    worker.get_by_role("link", name="Open my case").click()
    expect(worker.get_by_test_id("status-headline")).to_have_text(
        "We have received your complaint."
    )
    expect(worker.get_by_role("img", name="pay.jpg")).to_be_visible()

    staff = desktop_page
    staff_signs_in(staff, live_server.url, "li.ming")
    staff.get_by_role("link", name="Case queue").click()
    staff.get_by_role("link", name=number).click()
    staff.get_by_text("Accept", exact=True).click()
    staff.get_by_role("button", name="Confirm: Accept").click()
    expect(staff.locator(".messages")).to_contain_text("Accepted")

    worker.reload()
    expect(worker.get_by_test_id("status-headline")).to_have_text(
        "Your complaint has been accepted."
    )
    assert Case.objects.get(reference=number).state == "accepted"
