"""The audit browser and the personal-data access log in a browser, as the district's supervisor
and as a street's: each reads its own units' records in words, filters them, and both pages
pass axe-core with no violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from casework.core.roles import Role
from casework.privacy.models import PersonalField
from casework.privacy.services import personal_data_reveal
from tests.factories.cases import make_case, make_org, put_case_in_state
from tests.factories.organisation import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _world():
    org = make_org()
    east = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    west = make_case(worker=org.other_worker, street=org.b.street, platform=org.platform)
    put_case_in_state(east, "accepted", org.a.coordinator)
    put_case_in_state(west, "accepted", org.b.coordinator)
    for case, coordinator in ((east, org.a.coordinator), (west, org.b.coordinator)):
        personal_data_reveal(actor=coordinator, case_id=case.pk, field=PersonalField.MOBILE)
    street_supervisor = make_staff(
        role=Role.SUPERVISOR, team=org.a.coordinators, display_name="街道督导"
    )
    east.refresh_from_db()
    west.refresh_from_db()
    return org, street_supervisor, east, west


def _open(browser, server, user, client, path):
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}]
    )
    page = context.new_page()
    page.goto(server + path)
    return context, page


def _no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_supervisors_read_their_audit_pages_in_a_browser_without_accessibility_faults(
    browser, live_server, client
):
    from tests.factories.seeds import restore_seeded_rows

    restore_seeded_rows()  # an earlier transactional test may have flushed the calendar
    org, street_supervisor, east, west = _world()
    audit = reverse("casework:audit_browser")
    access = reverse("casework:audit_access_log")

    # the district's supervisor: both streets, in words
    context, page = _open(browser, live_server.url, org.supervisor, client, audit)
    body = page.locator("main").inner_text()
    assert east.reference in body and west.reference in body
    assert "已受理" in body and "协调员" in body
    _no_axe_violations(page)
    # filtering by one case leaves only its records
    page.locator("details.filters summary").click()  # the filters fold away
    page.get_by_label("案件编号").first.fill(west.reference)
    page.locator("form.filter-form button[type=submit]").click()
    page.wait_for_url(f"**case={west.reference}**")
    body = page.locator("main").inner_text()
    assert west.reference in body and east.reference not in body
    _no_axe_violations(page)
    page.goto(live_server.url + access)
    body = page.locator("main").inner_text()
    assert east.reference in body and west.reference in body
    assert "查看完整信息" in body
    _no_axe_violations(page)
    context.close()

    # a street's supervisor: their street only, on both pages
    context, page = _open(browser, live_server.url, street_supervisor, client, audit)
    body = page.locator("main").inner_text()
    assert east.reference in body
    assert west.reference not in body, "a street supervisor read another street's changes"
    _no_axe_violations(page)
    page.goto(live_server.url + access)
    body = page.locator("main").inner_text()
    assert east.reference in body
    assert west.reference not in body, "a street supervisor read another street's access log"
    _no_axe_violations(page)
    context.close()
