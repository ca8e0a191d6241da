"""A worker files a complaint with a photo on a phone; a coordinator accepts it; the worker
sees the new status. In English, so the test reads the same as the steps a user follows."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from casework import sms
from casework.choices import Role, TeamKind
from casework.models import Case
from platforms.models import Company
from tests.factories.organisation import STAFF_PASSWORD, make_staff, make_street, make_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MOBILE = "13800138001"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def in_english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


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
    in_english(worker, live_server)
    worker.goto(live_server.url + "/")
    worker.get_by_role("link", name="File a complaint").click()
    worker.get_by_label("Mobile number").fill(MOBILE)
    worker.get_by_role("button", name="Send me a code").click()
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)
    worker.get_by_label("6-digit code").fill(code)
    worker.get_by_role("button", name="Sign in").click()

    expect(worker.get_by_role("heading", level=2)).to_contain_text("Step 1 of 4")
    worker.get_by_label("Unpaid or late pay").check()
    worker.get_by_label("What happened?").fill(
        "九月的配送费 3200 元一直没有结算，站长说平台没打款。"
    )
    worker.get_by_role("button", name="Next").click()
    worker.get_by_label("Platform", exact=True).select_option(label="速达外卖")
    worker.get_by_role("button", name="Next").click()
    worker.get_by_label("Where do you mostly work?").select_option(label="西兴街道")
    worker.get_by_label("From", exact=True).fill("2026-09-01")
    worker.get_by_label("To", exact=True).fill("2026-09-30")
    worker.get_by_label("How much are you owed (yuan)?").fill("3200")
    worker.get_by_label("Yes", exact=True).check()
    worker.get_by_role("button", name="Next").click()
    worker.get_by_label("Screenshots or documents").set_input_files(
        files=[{"name": "pay.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    worker.get_by_label("I agree that the employer named in my complaint").check()
    worker.get_by_role("button", name="Submit my complaint").click()

    reference = worker.get_by_test_id("reference")
    expect(reference).to_have_text(re.compile(r"^BJ-\d{4}-\d{6}$"))
    number = reference.inner_text()
    assert worker.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    worker.get_by_role("link", name="Open my case").click()
    expect(worker.get_by_test_id("status-headline")).to_have_text(
        "We have received your complaint."
    )
    expect(worker.get_by_role("img", name="pay.jpg")).to_be_visible()

    staff = desktop_page
    in_english(staff, live_server)
    staff.goto(live_server.url + "/staff/sign-in/")
    staff.get_by_label("Username").fill("li.ming")
    staff.get_by_label("Password").fill(STAFF_PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.get_by_role("link", name="Case queue").click()
    staff.get_by_role("link", name=number).click()
    staff.get_by_text("Accept", exact=True).click()
    staff.get_by_role("button", name="Confirm: Accept").click()
    expect(staff.get_by_role("status")).to_contain_text("Accepted")

    worker.reload()
    expect(worker.get_by_test_id("status-headline")).to_have_text(
        "Your complaint has been accepted."
    )
    assert Case.objects.get(reference=number).state == "accepted"
