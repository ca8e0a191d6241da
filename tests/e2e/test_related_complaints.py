"""A coordinator opens a complaint: the page fills in the related complaints panel once it has
loaded, and the coordinator groups two complaints against the same operator from it."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from casework.groups.models import CaseGroup
from casework.intake.services import PartyInput
from tests.e2e.steps import staff_signs_in
from tests.factories.cases import make_case, make_case_worker, make_org
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_related_complaints_panel_loads_and_groups(live_server, desktop_page):
    restore_seeded_rows()  # an earlier transactional test may have flushed the calendar
    org = make_org()
    chain = [
        PartyInput(kind="platform", company=org.platform),
        PartyInput(kind="operator", company=org.operator),
    ]
    case, other = (
        make_case(worker=make_case_worker(name), street=org.a.street, parties=chain)
        for name in ("赵师傅", "钱师傅")
    )
    page = desktop_page
    staff_signs_in(page, live_server.url, org.a.coordinator.username)
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    panel = page.locator('[data-panel-url*="/related/"]')
    expect(panel).to_have_attribute("data-loaded", "1")
    panel.get_by_label(other.reference, exact=False).check()
    page.get_by_role("button", name="Group them with this case").click()

    group = CaseGroup.objects.get()
    expect(page).to_have_url(f"{live_server.url}/groups/{group.pk}/")
    assert set(group.cases.values_list("pk", flat=True)) == {case.pk, other.pk}

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Every change to this case: who, when, why").click()
    expect(page.locator("h1")).to_have_text("Change history")
    with translation.override("en"):  # the staff member reads English (staff_signs_in)
        expect(page.locator(".history")).to_contain_text(group.localized_title)
