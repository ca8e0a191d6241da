"""Issue 14, as the new user met it in the browser: a calendar-day clock counts calendar days;
a coordinator waiting on an extension sees no Approve button, a supervisor approves it, and the
timeline says "requested" then "extended"."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.cases.choices import CaseState
from casework.clocks.extensions import deadline_extend
from casework.clocks.models import Deadline
from tests.e2e.steps import staff_signs_in
from tests.factories.cases import (
    cover_streets_with_unit_office,
    make_case,
    make_case_worker,
    make_org,
    put_case_in_state,
)
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clocks_count_in_their_unit_and_only_a_supervisor_approves(live_server, desktop_page):
    restore_seeded_rows()  # an earlier transactional test may have flushed the calendar
    org = cover_streets_with_unit_office(make_org())
    agreed = put_case_in_state(
        make_case(worker=make_case_worker("赵师傅"), street=org.a.street, platform=org.platform),
        CaseState.AGREEMENT_REACHED,
        org.supervisor,
    )
    investigated = put_case_in_state(
        make_case(worker=make_case_worker("钱师傅"), street=org.a.street, platform=org.platform),
        CaseState.VERIFYING,
        org.supervisor,
    )
    investigate = Deadline.objects.get(case=investigated, rule__key="INSPECTION_INVESTIGATE")
    deadline_extend(actor=org.a.coordinator, deadline_id=investigate.pk, reason="需调取账目")
    judicial = Deadline.objects.get(case=agreed, rule__key="JUDICIAL_CONFIRMATION")
    days_left = (judicial.due_on - timezone.localdate()).days

    page = desktop_page
    staff_signs_in(page, live_server.url, org.a.coordinator.username)
    page.goto(f"{live_server.url}/cases/{agreed.pk}/")
    clock = page.locator('[data-clock="JUDICIAL_CONFIRMATION"]')
    expect(clock).to_contain_text(f"{days_left} days left")
    expect(clock).not_to_contain_text("working day")
    # mediation is not the inspection path: its 60 working days no longer apply
    expect(page.locator('[data-clock="INSPECTION_INVESTIGATE"]')).to_contain_text(
        "no longer applies"
    )

    page.goto(f"{live_server.url}/cases/{investigated.pk}/")
    extension = page.locator('[data-clock="INSPECTION_INVESTIGATE"]')
    expect(extension).to_contain_text("awaiting a supervisor")
    expect(extension.get_by_role("button", name="Approve")).to_have_count(0)
    expect(page.locator("ol.timeline")).to_contain_text("Extension of a deadline requested")

    page.context.clear_cookies()
    staff_signs_in(page, live_server.url, org.supervisor.username)
    page.goto(f"{live_server.url}/cases/{investigated.pk}/")
    page.locator('[data-clock="INSPECTION_INVESTIGATE"]').get_by_role(
        "button", name="Approve"
    ).click()
    expect(page.get_by_text("Extension approved.")).to_be_visible()
    expect(page.locator("ol.timeline")).to_contain_text("Deadline extended")
    expect(page.locator('[data-clock="INSPECTION_INVESTIGATE"]')).to_contain_text("approved")
