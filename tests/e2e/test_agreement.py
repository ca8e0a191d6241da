"""A mediator takes a demo case to mediation, records the agreement and downloads its PDF;
voids it; someone scanning the paper copy learns it is void."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.demo.data import DEMO_PASSWORD
from casework.organisation.models import User
from tests.e2e.steps import staff_signs_in, worker_signs_in
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_mediator_records_an_agreement_and_downloads_its_pdf(
    live_server, desktop_page, phone_page, tmp_path, settings
):
    restore_seeded_rows()  # an earlier transactional test may have flushed the calendar
    settings.DEBUG = True  # seed_demo refuses to load demo logins into a production site
    call_command("seed_demo", "--quiet-logins")
    settings.DEBUG = False
    settings.ANXIN_PUBLIC_URL = ""  # development: the QR code names the address asked
    # A demo complaint awaiting the employer's answer (the first already has its agreement).
    case = Case.objects.get(worker__mobile="13800138004", state=CaseState.AWAITING_RESPONSE)
    page = desktop_page
    staff_signs_in(page, live_server.url, "xixing.mediator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Mediation: sessions and agreement").click()

    page.get_by_text("Schedule a session", exact=True).click()
    # A time gone by is refused, with the reason, and the form kept
    earlier = timezone.localtime() - timedelta(hours=2)
    page.get_by_label("Time").fill(earlier.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Place").fill("西兴街道调解室")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.locator(".field-errors")).to_contain_text("has already passed")
    # The signed-in mediator is the one chosen unless they choose a colleague
    expect(page.get_by_label("Mediator")).to_have_value(
        str(User.objects.get(username="xixing.mediator").pk)
    )
    # Browser tests keep the real clock: the session is set a few minutes ahead, then held
    soon = timezone.localtime() + timedelta(minutes=10)
    page.get_by_label("Time").fill(soon.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Session scheduled")
    # No agreement before the session has taken place: the page says so instead of a form
    expect(page.get_by_test_id("agreement-waits")).to_be_visible()
    expect(page.get_by_text("Draw up the agreement", exact=True)).to_have_count(0)

    page.get_by_text("Record this session", exact=True).click()
    page.get_by_label("Agreement reached").check()
    page.get_by_label("Minutes").fill("双方同意分期支付2000元。")
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".messages")).to_contain_text("Session recorded")

    today = timezone.localdate()
    page.get_by_text("Draw up the agreement", exact=True).click()
    page.get_by_label("Facts and claims").fill("申请人2026年10月跑单收入2480元未结算。")
    page.get_by_label("Amount for 陈静").fill("2000")
    page.get_by_label("Payment date 1").fill((today + timedelta(days=7)).isoformat())
    page.get_by_label("Performance deadline").fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Employer's legal representative or agent").fill("林经理")
    page.get_by_role("button", name="Draw up and prepare the PDF").click()
    expect(page.locator(".messages")).to_contain_text("Agreement drawn up")

    download_link = page.get_by_role("link", name="Download PDF")
    expect(download_link).to_be_visible()
    with page.expect_download() as download_info:
        download_link.click()
    path = tmp_path / "agreement.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "调解协议书" in text and "陈静" in text and "2,000.00" in text
    assert Case.objects.get(pk=case.pk).state == "mediating"
    flat = "".join(text.split())
    # numbered and issued by the street's mediation team, not by its rider station
    assert re.search(r"人调字〔\d{4}〕第\d+号", flat), flat[:300]
    assert (
        "劳动争议调解委员会" in flat
        and "周立新" in flat
        and "服务站" not in flat.split("调解组织", 1)[1][:40]
    )
    # the QR code and its printed address lead to this server, whatever its address
    verify_url = re.search(r"访问(http://\S+?/documents/verify/[0-9A-Z-]+/)", flat).group(1)
    assert verify_url.startswith(live_server.url), (verify_url, live_server.url)

    # the terms change: the mediator voids the draft
    page.get_by_text("Void this agreement", exact=True).click()
    void_form = page.locator("form[action$='/void/']")
    void_form.get_by_label("Reason").fill("金额需重新协商")
    void_form.get_by_role("button", name="Void", exact=True).click()
    expect(page.get_by_test_id("void-record")).to_contain_text("金额需重新协商")

    # Someone scans the code on the paper copy: in Chinese, it says the agreement is void
    stranger = phone_page
    stranger.goto(verify_url)
    expect(stranger.get_by_role("alert")).to_contain_text("已作废")
    expect(stranger.locator("main")).not_to_contain_text("Drawn up")
    expect(stranger.locator("main")).to_contain_text("起草日期")
    # and in English after the language switch, in English only
    stranger.get_by_role("button", name="English").click()
    expect(stranger.get_by_role("alert")).to_contain_text("Void")
    expect(stranger.locator("main")).to_contain_text("Drawn up")
    expect(stranger.locator("main")).not_to_contain_text("起草日期")

    # and the mediator draws up another
    page.get_by_text("Draw up the agreement", exact=True).click()
    page.get_by_label("Facts and claims").fill("申请人2026年10月跑单收入2480元未结算。")
    page.get_by_label("Amount for 陈静").fill("2100")
    page.get_by_label("Payment date 1").fill((today + timedelta(days=7)).isoformat())
    page.get_by_label("Performance deadline").fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Employer's legal representative or agent").fill("林经理")
    page.get_by_role("button", name="Draw up and prepare the PDF").click()
    expect(page.locator(".messages")).to_contain_text("Agreement drawn up")

    # The worker, on the phone, reads one draft to sign and the voided one with its reason
    worker_signs_in(phone_page, live_server.url, "13800138004", via="My cases")
    phone_page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(phone_page.get_by_test_id("agreement-state")).to_have_count(1)
    expect(phone_page.get_by_test_id("agreement-state")).to_contain_text("Read it before you sign")
    expect(phone_page.get_by_test_id("voided-agreement")).to_contain_text("金额需重新协商")
    expect(phone_page.locator("#live-timeline")).to_contain_text("was voided")
