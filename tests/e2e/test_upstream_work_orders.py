"""Issue 20 in a browser, as the street's coordinator who answers the hotlines at a desk:
one work order registered by pasting its text (the page fills what the text says plainly),
then a file of work orders imported: the preview says line by line what will be created, what
is a duplicate and what is refused, and nothing exists before it is confirmed."""

import pytest
from playwright.sync_api import expect

from casework.cases.models import Case
from tests.casework.channels.helpers import line, work_order_file
from tests.e2e.newcomer import looks_right, signed_in
from tests.factories.cases import make_org
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = (
    "工单编号：12345-20261010-0042\n来电人：孙师傅\n联系电话：13900005555\n"
    "被反映单位：速达外卖\n来电人在东城街道送外卖，反映2026年8月1日至2026年8月31日的配送费"
    "共计3,600元未结算。"
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_work_order_is_registered_from_its_text_then_a_file_is_imported(browser, live_server):
    restore_seeded_rows()
    base = live_server.url
    org = make_org()
    desk = signed_in(browser, base, org.a.coordinator)

    desk.goto(f"{base}/work/upstream/")
    looks_right(desk, "the upstream work orders")
    desk.get_by_role("link", name="Register a work order").click()
    looks_right(desk, "the work order form")
    # The 12333 line (not the first choice): the channel must be asked once, and kept.
    desk.get_by_label("Where did the work order come from?").select_option(
        label="12333 hotline work order"
    )
    desk.get_by_label("The work order's text").fill(TEXT)
    desk.get_by_role("button", name="Read the text").click()
    expect(desk.get_by_label("Work order number")).to_have_value("12345-20261010-0042")
    expect(desk.get_by_label("Worker's mobile number")).to_have_value("13900005555")
    expect(desk.get_by_label("The work order's text")).to_have_value(TEXT)
    looks_right(desk, "the work order form, filled from the text")
    desk.get_by_label("Unpaid or late pay").check()
    desk.get_by_label("What happened, in the worker's words").fill("八月配送费共计3600元未结算。")
    desk.get_by_role("button", name="Register the work order").click()
    case = Case.objects.get()
    assert case.channel == "hotline_12333"
    assert desk.url.startswith(f"{base}/cases/{case.pk}/"), desk.url
    expect(desk.locator("main")).to_contain_text(f"Registered as {case.reference}.")
    expect(desk.locator("main")).to_contain_text("12345-20261010-0042")

    desk.goto(f"{base}/work/upstream/")
    desk.get_by_role("link", name="Import a file of work orders").click()
    looks_right(desk, "the import form")
    desk.get_by_label("Where do the work orders come from?").select_option(
        label="12345 hotline work order"
    )
    raw = work_order_file(
        [
            line("GD-001"),
            line("GD-002", phone="13900003333", name="钱师傅"),
            line("GD-001"),  # the same number again
            line("GD-003", received="2026-13-45"),  # not a date
            line("GD-004", street="南山街道"),  # no such street
        ]
    )
    desk.get_by_label("The exported file (CSV or XLSX)").set_input_files(
        files=[{"name": "orders.csv", "mimeType": "text/csv", "buffer": raw}]
    )
    desk.get_by_role("button", name="Check the file").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Import preview")
    expect(desk.locator("main")).to_contain_text("2 work orders will be created.")
    expect(desk.locator("main")).to_contain_text("Same work order number as line 2.")
    expect(desk.locator("main")).to_contain_text("Unknown street or park: 南山街道.")
    looks_right(desk, "the import preview")
    assert Case.objects.count() == 1, "the preview creates nothing"
    desk.get_by_role("button", name="Create them").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Import done")
    expect(desk.locator("main")).to_contain_text("2 cases created.")
    assert Case.objects.count() == 3
    looks_right(desk, "the import, done")
    desk.goto(f"{base}/work/upstream/")
    expect(desk.locator("main")).to_contain_text("GD-002")
    desk.context.close()
