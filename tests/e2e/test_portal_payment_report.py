"""Issue 16 in a browser: the platform's representative reports, on the portal, a payment the
company made; it reads "reported by the employer" until the worker confirms it on the phone,
and the representative sees the outstanding amount fall."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from arrears.models import Payment
from tests.arrears.ledger_helpers import verify, verifying_case
from tests.e2e.newcomer import looks_right, signed_in
from tests.factories.cases import make_org
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_representative_reports_a_payment_and_the_worker_confirms_it(browser, live_server):
    restore_seeded_rows()
    base = live_server.url
    org = make_org()
    case = verifying_case(org)
    verify(org, case, "3000.00")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    desk = signed_in(browser, base, org.representative)
    desk.goto(f"{base}/platform/cases/{case.pk}/")
    looks_right(desk, "the portal's case page")
    desk.get_by_test_id("portal-payments-link").click()
    expect(desk.get_by_test_id("employer-outstanding")).to_have_text("¥3,000.00")
    looks_right(desk, "the portal's payments page")
    form = desk.locator("#report-payment")
    form.get_by_label("Amount paid (yuan)").fill("abc")
    form.get_by_label("Date paid").fill(yesterday)
    form.get_by_label("Note").fill("三月配送费第一笔")
    form.get_by_role("button", name="Report the payment").click()
    # Bad input: a clear message, the rest of the form kept, nothing recorded.
    form = desk.locator("#report-payment")
    expect(form.get_by_role("alert").first).to_be_visible()
    expect(form.get_by_label("Note")).to_have_value("三月配送费第一笔")
    assert not Payment.objects.exists()
    form.get_by_label("Amount paid (yuan)").fill("1200")
    form.get_by_label("Date paid").fill(yesterday)
    form.get_by_role("button", name="Report the payment").click()
    payment = desk.get_by_test_id("employer-payment")
    expect(payment).to_contain_text("¥1,200.00")
    expect(payment).to_contain_text("Reported by the employer")
    expect(payment).to_contain_text("Waiting for the worker to confirm")
    expect(desk.get_by_test_id("employer-outstanding")).to_have_text("¥1,800.00")
    looks_right(desk, "the portal's payments page with a reported payment")

    phone = signed_in(browser, base, org.worker, phone=True)
    phone.goto(f"{base}/cases/{case.pk}/")
    reported = phone.get_by_test_id("payment")
    expect(reported).to_contain_text("Reported by the employer")
    reported.get_by_role("button", name="I received it").click()
    expect(phone.get_by_test_id("payment-status")).to_have_text("Received: confirmed by the worker")
    desk.reload()
    expect(desk.get_by_test_id("employer-payment")).to_contain_text(
        "Received: confirmed by the worker"
    )
    phone.context.close()
    desk.context.close()
