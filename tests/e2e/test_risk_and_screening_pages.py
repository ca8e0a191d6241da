"""Employer risk and hazard screening on a 360 px phone: the district supervisor follows the
red-risk notice from the demo to the company's reasons, then the campaign, a screening and
the round tables; each page fits the phone and has one heading and labelled fields."""

import pytest
from django.core.management import call_command

from casework.demo.data import DEMO_PASSWORD
from casework.governance.models import Campaign, Screening
from platforms.risk.models import CompanyRisk
from tests.e2e.steps import staff_signs_in
from tests.e2e.test_phone_widths import narrow, visit  # noqa: F401 (the fixture)
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    restore_seeded_rows()
    settings.DEBUG = True
    call_command("seed_demo", "--quiet-logins")
    settings.DEBUG = False


def _well_formed(page, what: str) -> None:
    assert page.locator("h1").count() == 1, f"{what} has {page.locator('h1').count()} h1"
    unlabelled = page.eval_on_selector_all(
        "main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select,"
        " main textarea",
        "els => els.filter(e => !(e.id && document.querySelector(`label[for='${e.id}']`))"
        " && !e.getAttribute('aria-label')).map(e => e.name)",
    )
    assert unlabelled == [], f"{what}: fields without a label: {unlabelled}"


def test_a_district_supervisor_follows_red_risk_to_its_reasons_and_the_campaign(
    live_server,
    narrow,  # noqa: F811 (the fixture imported above)
    demo,
):
    base = live_server.url
    red = CompanyRisk.objects.get(level="red")
    campaign = Campaign.objects.get()
    screening = Screening.objects.filter(company=red.company).get()
    page = narrow()
    staff_signs_in(page, base, "district.supervisor", DEMO_PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
    visit(page, base + "/home/", "the staff home")
    page.click("a.button:has-text('企业风险')")
    assert red.company.name in page.content()
    _well_formed(page, "the risk list")
    visit(page, base + "/notifications/", "the inbox")
    page.click("text=风险升为红色")
    assert page.url.endswith(f"/risk/companies/{red.company_id}/")
    assert "逾期未整改的排查问题：3" in page.content()
    _well_formed(page, "the company's risk")
    for url, what in (
        ("/governance/", "the governance page"),
        (f"/governance/campaigns/{campaign.pk}/", "the campaign"),
        (f"/governance/screenings/{screening.pk}/", "a screening"),
        ("/governance/screenings/new/", "the screening form"),
        ("/governance/round-tables/", "the round tables"),
        ("/governance/outreach/", "the lectures"),
        (f"/companies/{red.company_id}/", "the registry's company page"),
    ):
        visit(page, base + url, what)
        _well_formed(page, what)
