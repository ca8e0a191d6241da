"""What a newcomer's walk through a page checks, shared by the browser tests of issues 16, 18
and 20: signed in as the role that uses the page, the page passes axe-core, fits its screen and
shows people words, never code names or raw amounts."""

import re

from axe_playwright_python.sync_playwright import Axe
from django.test import Client

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1280, "height": 800}}

_axe = Axe()
# snake_case words (enum values, field names) and amounts without their thousands separator.
_CODE_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
_RAW_AMOUNT = re.compile(r"(?<![\d,.])\d{4,}\.\d{2}\b")


def keep_sessions_in_a_moved_clock(settings) -> None:
    """Cookies without an expiry date: the server's clock may be moved (tests/clock.py) while
    Chromium keeps the real one, and would drop a cookie that expires by the moved clock."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None


def signed_in(browser, base_url: str, user, *, phone: bool = False, english: bool = True):
    """A new browser window signed in as `user` (a phone for workers, a desk for staff).
    Signing in itself is tested in test_sign_in.py; here the session is made by the server."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **(PHONE if phone else DESK))
    context.set_default_timeout(15_000)
    cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    if english:
        cookies.append({"name": "django_language", "value": "en", "url": base_url})
    context.add_cookies(cookies)
    return context.new_page()


def sign_in_again(page, base_url: str, user) -> None:
    """After the clock moved past the session's age: a fresh session in the same window."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def looks_right(page, what: str) -> None:
    """axe-core finds nothing; nothing is wider than the window; no id twice; no code name or
    raw amount."""
    page.wait_for_load_state()
    results = _axe.run(page)
    assert results.violations_count == 0, f"{what}: {results.generate_report()}"
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{what} is {scroll_width} px wide in a {width} px window"
    # Two elements with one id: a label then names the other form's field (axe no longer
    # reports it); two fields with one name: the second silently wins when posted.
    repeated_ids = page.evaluate(
        "() => { const seen = {}; document.querySelectorAll('[id]').forEach("
        "e => { seen[e.id] = (seen[e.id] || 0) + 1; });"
        " return Object.keys(seen).filter(id => seen[id] > 1); }"
    )
    assert repeated_ids == [], f"{what} repeats the ids {repeated_ids}"
    text = page.inner_text("main")
    assert not _CODE_NAME.findall(text), f"{what} shows code names: {_CODE_NAME.findall(text)}"
    assert not _RAW_AMOUNT.findall(text), f"{what} shows raw amounts: {_RAW_AMOUNT.findall(text)}"
