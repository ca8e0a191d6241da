"""The pages issues 16, 18 and 20 added, each seen in Chinese (the default) by the role that
uses it, on the demo district: staff at a desk, the worker on a 390 px phone. Each passes
axe-core with no violation, fits its window and shows no code name or raw amount."""

import pytest
from django.core.management import call_command

from arrears.models import Payment
from casework.cases.models import Case
from casework.governance.models import Campaign, Screening
from casework.organisation.models import User
from platforms.models import Company
from tests.e2e.newcomer import looks_right, signed_in
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    restore_seeded_rows()  # an earlier transactional test may have flushed the calendar
    settings.DEBUG = True  # seed_demo refuses to load demo logins into a production site
    call_command("seed_demo", "--quiet-logins")
    settings.DEBUG = False


def _visit_all(page, base: str, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.ok, f"{path} answered {response.status}"
        looks_right(page, path)


def test_the_supervisors_pages_pass_axe_at_a_desk(browser, live_server, demo):
    base = live_server.url
    paid = Payment.objects.order_by("pk").first().case_id
    open_case = Case.objects.filter(state="submitted").order_by("pk").first().pk
    employer = Company.objects.filter(parent=None).order_by("pk").first().pk
    screening = Screening.objects.order_by("pk").first().pk
    campaign = Campaign.objects.get().pk
    page = signed_in(browser, base, User.objects.get(username="district.supervisor"), english=False)
    _visit_all(
        page,
        base,
        [
            f"/cases/{paid}/ledger/",
            "/employers/",
            f"/employers/{employer}/",
            "/dashboard/measures/",
            "/satisfaction/",
            "/risk/",
            "/governance/",
            "/governance/screenings/",
            f"/governance/screenings/{screening}/",
            "/governance/screenings/new/",
            "/governance/campaigns/",
            f"/governance/campaigns/{campaign}/",
            "/governance/outreach/",
            "/governance/round-tables/",
            "/work/upstream/",
            "/work/upstream/new/",
            "/work/upstream/import/",
            f"/cases/{open_case}/merge/",
            f"/cases/{open_case}/split/",
        ],
    )
    page.context.close()


def test_the_representatives_and_the_workers_pages_pass_axe(browser, live_server, demo):
    base = live_server.url
    rep = User.objects.get(username="suda.rep")
    case = Case.objects.filter(payments__isnull=False, parties__company__representatives__user=rep)
    desk = signed_in(browser, base, rep, english=False)
    _visit_all(desk, base, [f"/platform/cases/{case.order_by('pk').first().pk}/payments/"])
    desk.context.close()

    worker = User.objects.get(mobile="13800138001")
    phone = signed_in(browser, base, worker, phone=True, english=False)
    mine = Case.objects.filter(worker=worker).order_by("pk")
    _visit_all(phone, base, ["/cases/"] + [f"/cases/{c.pk}/" for c in mine])
    phone.context.close()
