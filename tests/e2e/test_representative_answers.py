"""A new representative, as they would meet Anxin: invited by the district, they open the
link, make their account, find the complaint they were told about, answer it with a file
before the deadline, and the coordinator's open case page shows the answer without a reload
(issue 15)."""

import re

import pytest
from playwright.sync_api import expect

from casework.cases.choices import CaseState
from casework.intake.services import PartyInput
from platforms.choices import CompanyKind
from platforms.models import EmployerResponse
from platforms.registry.services import invitation_create
from tests.e2e.steps import in_english, photo_bytes, staff_signs_in
from tests.factories.cases import make_case, make_org, put_case_in_state
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_invited_representative_answers_and_the_coordinator_sees_it_live(
    asgi_server, desktop_page, browser
):
    restore_seeded_rows()
    org = make_org()
    case = make_case(
        worker=org.worker,
        street=org.a.street,
        parties=[PartyInput(kind=CompanyKind.PLATFORM, company=org.platform)],
        consent_to_share=True,
    )
    case = put_case_in_state(case, CaseState.AWAITING_RESPONSE, org.supervisor)
    _invitation, link = invitation_create(
        actor=org.supervisor,
        company_id=org.platform.pk,
        name="王经理",
        mobile="13900001111",
        link_for=lambda token: f"{asgi_server}/platform/join/{token}/",
    )

    watcher = desktop_page
    staff_signs_in(watcher, asgi_server, org.supervisor.username)
    watcher.goto(f"{asgi_server}/cases/{case.pk}/")
    expect(watcher.locator("body")).to_have_attribute("data-live", "connected")
    expect(watcher.locator("#case-state")).to_have_text("Awaiting employer response")

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        rep = context.new_page()
        in_english(rep, asgi_server)
        rep.goto(link)
        rep.get_by_label("Username").fill("wang.manager")
        rep.get_by_label("Password", exact=True).fill("a long pass phrase 2026")
        rep.get_by_label("Password again").fill("a long pass phrase 2026")
        rep.get_by_role("button", name="Create my account").click()
        rep.goto(f"{asgi_server}/platform/")
        rep.get_by_role("link", name=case.reference).click()
        expect(rep.get_by_role("heading", level=1)).to_have_text(case.reference)

        rep.get_by_label("Files (photos or PDF)").set_input_files(
            files=[{"name": "结算单.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
        )
        rep.get_by_role("button", name="Add our files").click()
        expect(rep.get_by_role("link", name="结算单.jpg")).to_be_visible()

        rep.get_by_label("Accepts and will pay").check()
        rep.get_by_label("Amount we will pay (yuan)").fill("3200.00")
        due = rep.locator("text=/due \\d{4}-\\d{2}-\\d{2}/").first.inner_text()
        pay_by = re.search(r"\d{4}-\d{2}-\d{2}", due).group(0)
        rep.get_by_label("We will pay by").fill(pay_by)
        rep.get_by_role("button", name="Send our answer").click()
        expect(rep.get_by_text("Your answer is recorded.")).to_be_visible()
        expect(rep.locator("#our-answers")).to_contain_text("¥3,200.00")
    finally:
        context.close()

    expect(watcher.locator("#case-state")).to_have_text("Verifying", timeout=10_000)
    answer = EmployerResponse.objects.get(case=case)
    assert answer.responded_by.username == "wang.manager" and not answer.is_late
