"""The figures pages as supervisors and representatives use them: what each may see, the
links behind the numbers, the CSV, and what wrong input gets."""

import csv
from datetime import date
from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platforms.models import Company
from tests.factories.cases import make_org
from tests.platforms.figures.scenario import TODAY, ask, build, representative_of

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]

FEB_TO_MAR = {"since": "2026-02", "until": "2026-03"}


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def scenario(org):
    return build(org)


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(StringIO(text.removeprefix("\ufeff"))))


def test_a_supervisor_reads_every_platforms_figures_and_downloads_the_same(client, org, scenario):
    client.force_login(org.supervisor)
    page = client.get(reverse("figures:registry_companies"), FEB_TO_MAR)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert org.platform.name in html and scenario.rival.name in html
    rows = _csv_rows(
        client.get(reverse("figures:registry_companies_csv"), {**FEB_TO_MAR, "sort": "requests"})
    )
    assert rows[0][:3] == ["企业", "回应请求", "按时回应"]
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name[org.platform.name] == ["4", "1", "1", "1", "1", "1", "3", "3.8"]
    assert by_name[org.operator.name] == ["2", "0", "1", "0", "1", "0", "4", "4"]
    assert by_name[scenario.rival.name] == ["1", "1", "0", "0", "0", "0", "1", "1"]
    assert rows[1][0] == org.platform.name  # sorted by requests


def test_the_registry_page_of_a_company_leads_to_its_months(client, org, scenario):
    client.force_login(org.supervisor)
    detail = client.get(reverse("platforms:company_detail", args=[org.platform.pk]))
    months_url = reverse("figures:registry_months", args=[org.platform.pk])
    assert months_url in detail.content.decode()
    page = client.get(months_url, FEB_TO_MAR).content.decode()
    assert "2026-02" in page and "2026-03" in page
    rows = _csv_rows(
        client.get(reverse("figures:registry_months_csv", args=[org.platform.pk]), FEB_TO_MAR)
    )
    assert rows[1:] == [
        ["2026-02", "2", "1", "1", "0", "0", "0", "3", "3.8"],
        ["2026-03", "2", "0", "0", "1", "1", "1", "", ""],
        ["全部月份", "4", "1", "1", "1", "1", "1", "3", "3.8"],
    ]


def test_a_number_leads_to_the_cases_behind_it(client, org, scenario):
    client.force_login(org.supervisor)
    cases_url = reverse("figures:registry_cases", args=[org.platform.pk])
    page = client.get(cases_url, {**FEB_TO_MAR, "outcome": "overdue"}).content.decode()
    assert scenario.overdue.reference in page
    assert reverse("casework:case_detail", args=[scenario.overdue.pk]) in page
    for other in (scenario.on_time, scenario.late, scenario.open, scenario.withdrawn):
        assert other.reference not in page
    months = client.get(
        reverse("figures:registry_months", args=[org.platform.pk]), FEB_TO_MAR
    ).content.decode()
    assert f"{cases_url}?since=2026-03&amp;until=2026-03&amp;outcome=overdue" in months
    late = client.get(
        cases_url, {"since": "2026-02", "until": "2026-02", "outcome": "late"}
    ).content.decode()
    assert scenario.late.reference in late and scenario.on_time.reference not in late


def test_a_representative_reads_their_chain_by_month_and_not_another_platforms(
    client, org, scenario
):
    client.force_login(org.representative)
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("figures:portal_companies") in home
    page = client.get(reverse("figures:portal_companies"), FEB_TO_MAR).content.decode()
    assert org.platform.name in page and org.operator.name in page
    assert scenario.rival.name not in page
    cases = client.get(
        reverse("figures:portal_cases", args=[org.platform.pk]),
        {**FEB_TO_MAR, "outcome": "overdue"},
    ).content.decode()
    assert reverse("portal:case", args=[scenario.overdue.pk]) in cases
    bureau_page = reverse("casework:case_detail", args=[scenario.overdue.pk])
    assert f'href="{bureau_page}"' not in cases  # the bureau's page would answer them 404
    for name in ("portal_months", "portal_months_csv", "portal_cases"):
        response = client.get(reverse(f"figures:{name}", args=[scenario.rival.pk]))
        assert response.status_code == 404, name


def test_an_operators_representative_sees_only_its_own_figures(client, org, scenario):
    client.force_login(representative_of(org.operator, "op.rep"))
    rows = _csv_rows(client.get(reverse("figures:portal_companies_csv"), FEB_TO_MAR))
    assert [row[0] for row in rows[1:]] == [org.operator.name]
    assert client.get(reverse("figures:portal_months", args=[org.platform.pk])).status_code == 404


def test_a_rival_representative_gets_404_for_platform_a(client, org, scenario):
    client.force_login(representative_of(scenario.rival, "rival.rep"))
    for name in ("portal_months", "portal_months_csv", "portal_cases"):
        assert client.get(reverse(f"figures:{name}", args=[org.platform.pk])).status_code == 404
    rows = _csv_rows(client.get(reverse("figures:portal_companies_csv"), FEB_TO_MAR))
    assert [row[0] for row in rows[1:]] == [scenario.rival.name]


def test_each_page_belongs_to_its_readers(client, org, scenario):
    registry = [
        reverse("figures:registry_companies"),
        reverse("figures:registry_companies_csv"),
        reverse("figures:registry_months", args=[org.platform.pk]),
        reverse("figures:registry_cases", args=[org.platform.pk]),
    ]
    portal = [
        reverse("figures:portal_companies"),
        reverse("figures:portal_months", args=[org.platform.pk]),
    ]
    for user, refused in (
        (org.representative, registry),
        (org.a.coordinator, registry + portal),
        (org.worker, registry + portal),
        (org.supervisor, portal),
    ):
        client.force_login(user)
        for url in refused:
            assert client.get(url).status_code == 404, (user, url)
    client.logout()
    assert client.get(registry[0]).status_code == 302  # to sign in


@pytest.mark.parametrize(
    "query",
    [
        {"since": "abc"},
        {"since": "2026-13"},
        {"since": "2026-03", "until": "2026-01"},
        {"since": "2000-01", "until": "2026-01"},
        {"since": "2026-\x0701"},
        {"sort": "; drop"},
        {"outcome": "everything", "page": "-1"},
        {"until": "9999-12"},
    ],
)
def test_wrong_input_gets_a_message_and_the_default_months(client, org, scenario, query):
    client.force_login(org.supervisor)
    for url in (
        reverse("figures:registry_companies"),
        reverse("figures:registry_months", args=[org.platform.pk]),
        reverse("figures:registry_cases", args=[org.platform.pk]),
        reverse("figures:registry_companies_csv"),
    ):
        assert client.get(url, query).status_code == 200, (url, query)
    page = client.get(reverse("figures:registry_companies"), query).content.decode()
    if "since" in query or "until" in query:
        assert 'role="alert"' in page


def test_the_pages_read_as_many_rows_in_as_many_queries_for_more_companies(client, org):
    client.force_login(org.supervisor)
    ask(org, date(2026, 3, 2), org.platform)
    urls = [
        reverse("figures:registry_companies"),
        reverse("figures:registry_months", args=[org.platform.pk]),
    ]
    client.get(urls[0])

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = [count(url) for url in urls]
    build(org)
    for number in range(4):
        parent = Company.objects.create(name=f"平台{number}", kind="platform", industry="courier")
        ask(org, date(2026, 2, 2 + number), parent)
    assert [count(url) for url in urls] == before


def test_a_month_typed_with_fullwidth_digits_is_read(client, org, scenario):
    client.force_login(org.supervisor)
    page = client.get(
        reverse("figures:registry_companies"), {"since": "２０２６-０２", "until": "2026-02"}
    ).content.decode()
    assert 'role="alert"' not in page and "2026-02 至 2026-02" in page


def test_the_list_of_cases_behind_a_number_costs_the_same_for_one_case_or_many(client, org):
    client.force_login(org.representative)
    url = reverse("figures:portal_cases", args=[org.platform.pk])
    query = {"since": "2026-03", "until": "2026-03", "outcome": "overdue"}
    ask(org, date(2026, 3, 2), org.platform)

    def count():
        client.get(url, query)  # what changed in between (people, notifications) is read once
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url, query)
        assert page.status_code == 200
        return len(captured), page.content.decode().count('class="card"')

    one = count()
    for day in (3, 4, 5):
        ask(org, date(2026, 3, day), org.platform, org.operator)
    many = count()
    assert (one[1], many[1]) == (1, 4)
    assert many[0] == one[0]
