"""Signing in through a real browser: workers with a texted code, staff with a password."""

import re

import pytest
from playwright.sync_api import expect

from casework.organisation import sms
from tests.factories.organisation import STAFF_PASSWORD, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MOBILE = "13800138001"


def _texted_code() -> str:
    """The 6-digit code in the last text the locmem backend sent (the live server shares it)."""
    assert sms.outbox, "no SMS was sent"
    message = sms.outbox[-1]
    assert message.to == MOBILE
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match, f"no 6-digit code in {message.body!r}"
    return match.group(1)


def _request_code(page, live_server) -> None:
    """From the landing page to the code page, with a code texted to MOBILE."""
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="我的案件", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("手机号码登录")
    page.get_by_label("手机号码", exact=True).fill(MOBILE)
    page.get_by_role("button", name="获取验证码", exact=True).click()
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("138 **** 8001")


def test_worker_signs_in_with_a_texted_code_on_a_phone(live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_contain_text("工资被拖欠")

    _request_code(page, live_server)
    assert len(sms.outbox) == 1
    page.get_by_label("6 位验证码", exact=True).fill(_texted_code())
    page.get_by_role("button", name="登录", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("我的案件")
    expect(page.get_by_text("您还没有案件。")).to_be_visible()
    assert page.url == live_server.url + "/cases/"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_wrong_code_shows_an_error_tied_to_the_field(live_server, phone_page):
    page = phone_page
    _request_code(page, live_server)
    wrong = "111111" if _texted_code() == "000000" else "000000"

    code_input = page.get_by_label("6 位验证码", exact=True)
    code_input.fill(wrong)
    page.get_by_role("button", name="登录", exact=True).click()

    message = "验证码错误，还可尝试 4 次。"
    field = page.locator(".field-invalid").filter(has=code_input)
    expect(field).to_have_count(1)
    expect(field.get_by_role("alert")).to_have_text(message)
    expect(field.get_by_text(message)).to_be_visible()
    # Django's BoundField marks the input invalid and points it at the error list by id.
    expect(code_input).to_have_attribute("aria-invalid", "true")
    described_by = code_input.get_attribute("aria-describedby") or ""
    assert "id_code_error" in described_by.split()
    expect(page.locator("#id_code_error")).to_have_text(message)
    # Screen readers read the message with the input (the CSS prefixes a warning sign).
    expect(code_input).to_have_accessible_description(re.compile(re.escape(message)))
    # Still on the code page, not signed in.
    expect(page.get_by_role("heading", level=1)).not_to_have_text("我的案件")
    assert page.url == live_server.url + "/sign-in/code/"


def test_coordinator_signs_in_with_a_password_on_a_desktop(live_server, desktop_page):
    make_staff(username="li.ming", display_name="李明")
    page = desktop_page
    page.goto(live_server.url + "/staff/sign-in/")
    page.get_by_label("用户名", exact=True).fill("li.ming")
    page.get_by_label("密码", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("李明，您好")
    expect(page.locator(".tag", has_text="协调员")).to_be_visible()
    expect(page.get_by_text("测试队伍")).to_be_visible()


def test_the_english_switch_translates_the_landing_page(live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("工资被拖欠")

    page.get_by_role("button", name="English", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Paid late, paid short, fined or cut off the app?"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="中文", exact=True)).to_be_visible()
