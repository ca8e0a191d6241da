"""The statistics page in a browser: every chart and its table pass axe-core with no
violation, on a desk and on a 390 px phone (where nothing is wider than the screen)."""

from datetime import date
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from arrears.models import Payment
from tests.factories.cases import make_case_on, make_case_worker, make_org, transition_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PATH = "/dashboard/measures/?date_from=2026-01-01&date_to=2026-03-31"


def _district():
    org = make_org()
    org.unit_office.covers.add(org.a.street, org.b.street)
    for day, street, platform in (
        (2, "a", "platform"),
        (9, "b", "operator"),
        (16, "a", "operator"),
    ):
        case = make_case_on(
            date(2026, 3, day), worker=make_case_worker(), street=getattr(org, street).street,
            platform=getattr(org, platform),
        )  # fmt: skip
        transition_on(date(2026, 3, day + 1), case, "accept", org.supervisor)
    Payment.objects.create(case=case, amount=Decimal("500.00"), paid_on=date(2026, 3, 18),
                           recorded_by=org.supervisor, status="received")  # fmt: skip
    return org


def _open(browser, server, user, client, **options):
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **options)
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}]
    )
    page = context.new_page()
    page.goto(server + PATH)
    return context, page


def test_every_chart_passes_axe_on_a_desk_and_a_phone(browser, live_server, client):
    from tests.factories.seeds import restore_seeded_rows

    restore_seeded_rows()  # an earlier transactional test may have flushed the calendar
    org = _district()
    axe = Axe()
    for options in (
        {"viewport": {"width": 1280, "height": 800}},
        {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    ):
        context, page = _open(browser, live_server.url, org.supervisor, client, **options)
        charts = page.locator("section.chart svg[role=img]")
        assert charts.count() == 5
        assert page.locator("section.chart table").count() == 8
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= options["viewport"]["width"], f"the page is {width} px wide"
        context.close()
