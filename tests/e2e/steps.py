"""Steps a person takes, shared by the browser tests (English UI, set by a cookie)."""

import io
import re
from datetime import timedelta

from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from casework.organisation import sms
from tests.factories.organisation import STAFF_PASSWORD


def in_english(page, base_url: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def worker_signs_in(page, base_url: str, mobile: str, *, via: str = "File a complaint") -> None:
    in_english(page, base_url)
    page.goto(base_url + "/")
    page.get_by_role("link", name=via).click()
    page.get_by_label("Mobile number").fill(mobile)
    page.get_by_role("button", name="Send me a code").click()
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Sign in").click()


def worker_files_a_complaint(
    page,
    *,
    platform: str,
    street: str,
    with_photo: bool = True,
    name: str = "张伟",
    on_each_step=None,
) -> str:
    """From step 1 of the intake to the receipt; returns the reference number.
    `on_each_step(page)` runs on every step as it is shown (and on the receipt)."""
    look = on_each_step or (lambda page: None)
    expect(page.get_by_role("heading", level=2)).to_contain_text("Step 1 of 5")
    look(page)
    page.get_by_label("Unpaid or late pay").check()
    page.get_by_label("What happened?").fill("上月的配送费 3200 元一直没有结算，站长说平台没打款。")
    page.get_by_role("button", name="Next").click()
    look(page)
    page.get_by_label("Platform", exact=True).select_option(label=platform)
    page.get_by_role("button", name="Next").click()
    look(page)
    page.get_by_label("Where do you mostly work?").select_option(label=street)
    # Last month: the browser keeps the real clock (the session cookie expires by it), so
    # browser tests cannot set the date; a period may not end in the future.
    last_month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    page.get_by_label("From", exact=True).fill(last_month_end.replace(day=1).isoformat())
    page.get_by_label("To", exact=True).fill(last_month_end.isoformat())
    page.get_by_label("How much are you owed (yuan)?").fill("3200")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Next").click()
    look(page)
    page.get_by_label("Your full name").fill(name)
    page.get_by_role("button", name="Next").click()
    # The review screen: every answer, before anything is sent.
    expect(page.get_by_role("heading", level=2)).to_contain_text("Step 5 of 5: Check and send")
    expect(page.locator(".review").first).to_contain_text("上月的配送费")
    look(page)
    if with_photo:
        page.get_by_label("Screenshots or documents").set_input_files(
            files=[{"name": "pay.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
        )
    page.get_by_label("I agree that the employer named in my complaint").check()
    page.get_by_role("button", name="Submit my complaint").click()
    reference = page.get_by_test_id("reference")
    expect(reference).to_have_text(re.compile(r"^BJ-\d{4}-\d{6}$"))
    look(page)
    return reference.inner_text()


def staff_signs_in(page, base_url: str, username: str, password: str = STAFF_PASSWORD) -> None:
    in_english(page, base_url)
    page.goto(base_url + "/staff/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
