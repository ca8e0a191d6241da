"""The response figures on a 360 px phone and a desk: a representative's and a supervisor's
tables fit the phone's width, and every number stays readable with its column's name."""

import pytest

from tests.factories.cases import make_org
from tests.platforms.figures.scenario import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 360


def _signed_in(browser, server, user, client, **context_options):
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **context_options)
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}]
    )
    return context, context.new_page()


def test_the_figures_fit_a_phone_and_a_desk(browser, live_server, client, tmp_path):
    from tests.factories.seeds import restore_seeded_rows

    restore_seeded_rows()  # an earlier transactional test may have flushed the calendar
    org = make_org()
    build(org)
    pages = [
        (org.representative, "/platform/figures/?since=2026-02&until=2026-03"),
        (org.supervisor, "/companies/responses/?since=2026-02&until=2026-03"),
        (org.supervisor, f"/companies/{org.platform.pk}/responses/?since=2026-02&until=2026-03"),
    ]
    for number, (user, path) in enumerate(pages):
        context, page = _signed_in(
            browser,
            live_server.url,
            user,
            client,
            viewport={"width": WIDTH, "height": 740},
            is_mobile=True,
            has_touch=True,
        )
        page.goto(live_server.url + path)
        assert page.locator("table.figures-table caption").first.is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(tmp_path / f"phone-{number}.png"), full_page=True)
        assert width <= WIDTH, f"{path} is {width} px wide on a {WIDTH} px phone"
        # On the phone each number carries its column's name.
        label = page.locator("td.num").first.evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        assert "回应请求" in label, label
        context.close()
        context, page = _signed_in(
            browser, live_server.url, user, client, viewport={"width": 1280, "height": 800}
        )
        page.goto(live_server.url + path)
        page.screenshot(path=str(tmp_path / f"desk-{number}.png"), full_page=True)
        context.close()
