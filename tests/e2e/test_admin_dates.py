"""The admin in a browser whose clock is not in Beijing: a date-only field gets its calendar
but no time-zone note (a date has no time zone); the note stays for dates with a time."""

import pytest
from playwright.sync_api import expect

from casework.organisation.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_date_only_field_has_no_time_zone_note(live_server, browser):
    User.objects.create_superuser("admin-dates", password="a-long-test-password-42")
    context = browser.new_context(locale="zh-CN", timezone_id="Europe/London")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/admin/login/?next=/admin/casework/calendarday/add/")
        page.locator("#id_username").fill("admin-dates")
        page.locator("#id_password").fill("a-long-test-password-42")
        page.locator("input[type=submit]").click()
        expect(page.locator("#id_date")).to_be_visible()
        expect(page.locator(".datetimeshortcuts").first).to_be_visible()  # the calendar works
        expect(page.locator(".timezonewarning")).to_have_count(0)
        assert "Note" not in page.locator("body").inner_text()
    finally:
        context.close()
