"""Issue 16 in a browser, as a coordinator at a desk and the worker on a 390 px phone: the
amount is verified on the ledger page; an agreement pays it in three instalments; the first is
paid and confirmed on the phone; the second is missed and flagged by the sweep; a payment order
is issued and missed, and compensation at 60 % is computed; the case resolves only when every
instalment is paid and confirmed. The clock moves on the server (tests/clock.py); each page on
the way passes axe-core and shows no code name."""

import re

import pytest
from playwright.sync_api import expect

from arrears.services.enforcement import ledger_sweep
from casework.cases.models import Case
from tests.arrears.ledger_helpers import binding_agreement, verifying_case
from tests.e2e.newcomer import keep_sessions_in_a_moved_clock, looks_right, sign_in_again, signed_in
from tests.factories.cases import make_org
from tests.factories.seeds import restore_seeded_rows

# Monday 7 December 2026, 10:00 in Beijing; the instalments fall on 14 and 28 December and on
# 11 January 2027.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.now("2026-12-07T10:00+08:00"),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _record_payment(desk, amount: str, day: str, instalment: str) -> None:
    form = desk.locator("#record-payment")
    form.get_by_label("Amount paid (yuan)").fill(amount)
    form.get_by_label("Date paid").fill(day)
    form.get_by_label("Instalment it pays").select_option(label=instalment)
    form.get_by_role("button", name="Record the payment").click()
    desk.wait_for_load_state()


def _worker_confirms_a_payment_of(phone, base: str, case_id: int, day: str) -> None:
    phone.goto(f"{base}/cases/{case_id}/")
    waiting = (
        phone.get_by_test_id("payment")
        .filter(has_text=day)
        .filter(has_text="Waiting for the worker to confirm")
    )
    before = waiting.count()
    assert before, f"no payment of {day} waits for the worker"
    waiting.first.get_by_role("button", name="I received it").click()
    expect(waiting).to_have_count(before - 1)
    expect(
        phone.get_by_test_id("payment").filter(has_text=day).filter(has_text="Received: confirmed")
    ).not_to_have_count(0)


def _try_to_resolve(desk, base: str, case_id: int) -> None:
    desk.goto(f"{base}/cases/{case_id}/")
    desk.locator("#case-actions summary", has_text=re.compile(r"^Resolve$")).click()
    desk.get_by_role("button", name="Confirm: Resolve").click()
    desk.wait_for_load_state()


def test_three_instalments_a_missed_one_a_payment_order_and_compensation(
    browser, live_server, settings, now_is
):
    restore_seeded_rows()  # an earlier transactional test may have flushed the calendar
    keep_sessions_in_a_moved_clock(settings)
    base = live_server.url
    org = make_org()
    case = verifying_case(org)
    coordinator = org.a.coordinator
    desk = signed_in(browser, base, coordinator)
    phone = signed_in(browser, base, org.worker, phone=True)

    # The coordinator verifies the amount, with what it rests on.
    desk.goto(f"{base}/cases/{case.pk}/")
    desk.get_by_role("link", name="Verify the amount or record a payment").click()
    looks_right(desk, "the ledger page before any money")
    verify = desk.locator("#verify")
    verify.get_by_label("Verified amount (yuan)").fill("3000")
    verify.get_by_label("Period from").fill(case.period_start.isoformat())
    verify.get_by_label("Period to").fill(case.period_end.isoformat())
    verify.get_by_label("Orders counted").fill("3月订单500单，每单6元")
    verify.get_by_role("button", name="Save the verified amount").click()
    expect(desk.get_by_test_id("ledger-verified")).to_contain_text("¥3,000.00")

    # Mediation (its own browser tests) ends in an agreement: 30 %, 30 % and 40 %.
    binding_agreement(org, case, "3000.00", [(7, "30"), (21, "30"), (35, "40")])
    desk.reload()
    instalments = desk.get_by_test_id("instalment")
    expect(instalments).to_have_text(
        [
            "¥900.00 due on 2026-12-14: Due",
            "¥900.00 due on 2026-12-28: Due",
            "¥1,200.00 due on 2027-01-11: Due",
        ]
    )
    looks_right(desk, "the ledger page with an agreement")

    # 14 December: the first instalment is paid; the worker confirms it on the phone.
    now_is("2026-12-14", hour=15)
    sign_in_again(desk, base, coordinator)
    sign_in_again(phone, base, org.worker)
    desk.reload()
    _record_payment(desk, "900", "2026-12-14", "2026-12-14 · ¥900.00")
    expect(desk.get_by_test_id("payment")).to_have_count(1)
    phone.goto(f"{base}/cases/{case.pk}/")
    looks_right(phone, "the worker's case page with a payment to confirm")
    _worker_confirms_a_payment_of(phone, base, case.pk, "2026-12-14")
    looks_right(phone, "the worker's case page after confirming")

    # 29 December: the second has passed unpaid; the sweep flags it and tells both sides.
    now_is("2026-12-29", hour=9)
    assert ledger_sweep().instalments_missed == 1
    sign_in_again(desk, base, coordinator)
    sign_in_again(phone, base, org.worker)
    phone.goto(f"{base}/notifications/")
    looks_right(phone, "the worker's inbox")
    phone.locator("main a[href$='/open/']").first.click()
    assert phone.url == f"{base}/cases/{case.pk}/", "the notice leads to the worker's own case"
    expect(phone.get_by_test_id("instalment").nth(1)).to_contain_text("Missed")

    # A payment order for what is owed now, with its own deadline.
    desk.goto(f"{base}/cases/{case.pk}/ledger/")
    expect(desk.get_by_test_id("instalment")).to_have_text(
        [
            "¥900.00 due on 2026-12-14: Paid",
            "¥900.00 due on 2026-12-28: Missed: the team has been told",
            "¥1,200.00 due on 2027-01-11: Due",
        ]
    )
    order = desk.locator("#issue-order")
    order.get_by_label("Pay by").fill("2027-01-05")
    order.get_by_label("Document number").fill("限付〔2026〕9号")
    order.get_by_role("button", name="Record the payment order").click()
    expect(desk.get_by_test_id("payment-order")).to_contain_text(
        "¥2,100.00 to be paid by 2027-01-05 · 限付〔2026〕9号: "
        "Open: waiting for the employer to pay"
    )
    looks_right(desk, "the ledger page with an open payment order")

    # 6 January: the order's deadline passed unpaid; compensation at 60 % of what is unpaid.
    now_is("2027-01-06", hour=9)
    assert ledger_sweep().orders_missed == 1
    sign_in_again(desk, base, coordinator)
    sign_in_again(phone, base, org.worker)
    desk.reload()
    expect(desk.get_by_test_id("payment-order")).to_contain_text("Deadline missed")
    desk.get_by_label("Rate of the additional compensation (%)").fill("60")
    desk.get_by_role("button", name="Compute the compensation").click()
    expect(desk.get_by_test_id("compensation")).to_have_text(
        "Additional compensation (not wages): ¥1,260.00, 60% of the ¥2,100.00 unpaid"
    )
    looks_right(desk, "the ledger page with compensation")
    phone.goto(f"{base}/cases/{case.pk}/")
    expect(phone.get_by_test_id("compensation")).to_contain_text("¥1,260.00")
    expect(phone.get_by_test_id("ledger-outstanding")).to_contain_text("¥2,100.00")

    # Not resolved while wages are outstanding, nor while a payment awaits the worker.
    _try_to_resolve(desk, base, case.pk)
    expect(desk.locator("main")).to_contain_text("¥2,100.00 is still outstanding")
    desk.goto(f"{base}/cases/{case.pk}/ledger/")
    _record_payment(desk, "900", "2027-01-06", "2026-12-28 · ¥900.00")
    _record_payment(desk, "1200", "2027-01-06", "2027-01-11 · ¥1,200.00")
    expect(desk.get_by_test_id("ledger-outstanding")).to_contain_text("¥0.00")
    _try_to_resolve(desk, base, case.pk)
    assert Case.objects.get(pk=case.pk).state == "agreement_reached"
    _worker_confirms_a_payment_of(phone, base, case.pk, "2027-01-06")
    _worker_confirms_a_payment_of(phone, base, case.pk, "2027-01-06")
    _try_to_resolve(desk, base, case.pk)
    assert Case.objects.get(pk=case.pk).state == "resolved"
    expect(desk.locator("main")).to_contain_text("Resolved")
    phone.goto(f"{base}/cases/{case.pk}/")
    expect(phone.get_by_test_id("instalment")).to_have_text(
        [
            "¥900.00 due on 2026-12-14: Paid",
            "¥900.00 due on 2026-12-28: Paid",
            "¥1,200.00 due on 2027-01-11: Paid",
        ]
    )
    phone.context.close()
    desk.context.close()
