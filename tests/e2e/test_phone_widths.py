"""Every page of a new user's walkthrough fits a 360 px phone (issue 14): the worker's, from
the landing page to their case, and the staff's, from home to the contracts, each seen by
the role that uses it. `document.documentElement.scrollWidth` must not pass 360."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from casework.cases.choices import Channel
from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case
from casework.demo.data import DEMO_PASSWORD
from casework.groups.services import group_add_cases
from casework.organisation import sms
from casework.organisation.models import User
from mediation.contracts.models import CollectiveContract
from tests.e2e.steps import in_english, staff_signs_in, worker_files_a_complaint
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 360


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def narrow(browser):
    """A page on the narrowest phone we support: 360 px wide."""
    contexts = []

    def open_page():
        context = browser.new_context(
            locale="zh-CN",
            viewport={"width": WIDTH, "height": 740},
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def demo_district(settings):
    restore_seeded_rows()  # an earlier transactional test may have flushed the calendar
    settings.DEBUG = True  # seed_demo refuses to load demo logins into a production site
    call_command("seed_demo", "--quiet-logins")
    settings.DEBUG = False


def fits(page, what: str) -> None:
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{what} ({page.url}) is {width} px wide on a {WIDTH} px phone"


def visit(page, url: str, what: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{what} answered {response and response.status}"
    fits(page, what)


def test_every_page_of_the_worker_walkthrough_fits_a_360_px_phone(
    live_server, narrow, demo_district
):
    base = live_server.url
    page = narrow()
    in_english(page, base)
    visit(page, base + "/", "the landing page")
    page.get_by_role("link", name="File a complaint").click()
    fits(page, "the sign-in page")
    page.get_by_label("Mobile number").fill("13800138009")
    page.get_by_role("button", name="Send me a code").click()
    fits(page, "the code page")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Sign in").click()

    seen = []

    def each_step(page):
        seen.append(page.url)
        fits(page, f"intake page {len(seen)}")

    worker_files_a_complaint(
        page, platform="速达外卖", street="西兴街道", with_photo=False, on_each_step=each_step
    )
    assert len(seen) == 6, "five steps (the last one the review) and the receipt"
    case = Case.objects.get(worker__mobile="13800138009")
    assert case.worker_name == "张伟", "the agreement will print the name, not the phone"
    visit(page, base + "/cases/", "my cases")
    visit(page, f"{base}/cases/{case.pk}/", "the worker's case page")


def test_every_page_of_the_staff_walkthrough_fits_a_360_px_phone(
    live_server, narrow, demo_district
):
    base = live_server.url
    coordinator = User.objects.get(username="xixing.coordinator")
    # The first two demo complaints (the app's, still open): the same platform, so they group.
    cases = list(
        Case.objects.filter(
            worker__mobile__in=["13800138001", "13800138002"],
            channel=Channel.ONLINE,
            state__in=OPEN_STATES,
        )
    )
    group = group_add_cases(actor=coordinator, case_ids=[case.pk for case in cases])
    case = cases[0]
    contract = CollectiveContract.objects.order_by("pk").first()

    page = narrow()
    staff_signs_in(page, base, "xixing.coordinator", DEMO_PASSWORD)
    fits(page, "the staff home")
    # Staff read the queue in Chinese: each row is a compact card, not a 600 px column.
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
    visit(page, base + "/work/", "the queue")
    height = page.locator("tr[data-case]").first.bounding_box()["height"]
    assert height < 150, f"a queue row is {height:.0f} px tall on a phone"
    in_english(page, base)
    visit(page, base + "/work/", "the queue in English")
    visit(page, base + "/work/file/", "the staff intake")
    visit(page, f"{base}/cases/{case.pk}/", "the staff case page")
    visit(page, f"{base}/cases/{case.pk}/history/", "the change history")
    visit(page, f"{base}/groups/{group.pk}/", "the group page")
    expect(page.locator(".queue-table td[data-label]").first).to_be_visible()
    labels = page.eval_on_selector_all(
        ".queue-table tbody td", "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert any("Worker" in label for label in labels), "the group table lost its labels"
    visit(page, base + "/notifications/", "the inbox")

    # Printed, the case page keeps its facts and timeline and drops menus, forms and buttons.
    page.goto(f"{base}/cases/{case.pk}/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("main form").first).to_be_hidden()
    expect(page.locator(".facts").first).to_be_visible()
    expect(page.locator(".timeline").first).to_be_visible()
    page.emulate_media(media="screen")

    mediator = narrow()
    staff_signs_in(mediator, base, "xixing.mediator", DEMO_PASSWORD)
    visit(mediator, f"{base}/mediation/case/{case.pk}/", "the mediation page")

    supervisor = narrow()
    staff_signs_in(supervisor, base, "district.supervisor", DEMO_PASSWORD)
    visit(supervisor, base + "/dashboard/", "the dashboard")
    markers = supervisor.eval_on_selector_all(
        ".due-soon", "els => els.map(e => getComputedStyle(e, '::before').content)"
    )
    assert markers and not any("⏰" in marker for marker in markers), "an emoji needs a font"
    visit(supervisor, base + "/contracts/", "the contract list")
    visit(supervisor, f"{base}/contracts/{contract.pk}/", "a contract page")
    visit(supervisor, f"{base}/contracts/{contract.pk}/terms/", "a contract's terms")

    anonymous = narrow()
    visit(anonymous, base + "/documents/verify/", "the verify page")
