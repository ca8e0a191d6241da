"""The dashboard's statistics and charts: figures over a date range for the streets a
supervisor oversees, charts as accessible SVG with their tables, downloads with exactly the
numbers shown, links to the cases behind them, and the filters' refusals."""

import csv
import io
import subprocess
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from arrears.enforcement import LedgerExport
from arrears.models import Payment
from casework.cases.models import Case
from casework.clocks.work_calendar import forget_calendar
from casework.core.roles import Role
from tests.clock import beijing, frozen_now
from tests.factories.cases import make_case_on, make_case_worker, make_org, transition_on
from tests.factories.organisation import make_staff

TODAY = date(2026, 3, 20)
pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=15)]
MEASURES = reverse("casework:dashboard_measures")


@pytest.fixture(autouse=True)
def fresh_calendar():
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture
def district():
    """Street A: a case resolved in March (paid 1000.00, confirmed) and one waiting; street B:
    a case filed in March against the operator, accepted."""
    org = make_org()
    org.unit_office.covers.add(org.a.street, org.b.street)
    boss = org.supervisor
    resolved = make_case_on(date(2026, 3, 2), worker=make_case_worker("甲"), street=org.a.street)
    transition_on(date(2026, 3, 3), resolved, "accept", boss)
    transition_on(date(2026, 3, 4), resolved, "start_verification", boss)
    Case.objects.filter(pk=resolved.pk).update(amount_verified=Decimal("1000.00"))
    Payment.objects.create(
        case=resolved, amount=Decimal("1000.00"), paid_on=date(2026, 3, 9),
        recorded_by=boss, status="received",
    )  # fmt: skip
    transition_on(date(2026, 3, 10), resolved, "resolve", boss)
    make_case_on(date(2026, 3, 5), worker=make_case_worker("乙"), street=org.a.street)
    other = make_case_on(
        date(2026, 3, 16), worker=make_case_worker("丙"), street=org.b.street,
        platform=org.operator,
    )  # fmt: skip
    transition_on(date(2026, 3, 17), other, "accept", boss)
    return org


def street_supervisor(org):
    return make_staff(role=Role.SUPERVISOR, team=org.a.coordinators, display_name="街道督导")


def open_measures(client, user, query=""):
    client.force_login(user)
    return client.get(f"{MEASURES}?{query}")


def test_the_district_supervisor_sees_the_months_figures_and_charts(client, district):
    response = open_measures(client, district.supervisor)

    assert response.status_code == 200
    board = response.context["board"]
    assert board.open_total == 2
    assert (board.new_total, board.resolved_total) == (3, 1)
    assert board.money.recovered == Decimal("1000.00")
    assert board.to_acceptance.count == 2
    assert board.to_acceptance.median == 1.0  # 09:00 filed, 10:00 the next day (1.04 days)
    names = {name: n for _pk, name, n in board.open_by_street}
    assert names == {district.a.street.name: 1, district.b.street.name: 1}
    page = response.content.decode()
    # Every chart is an SVG image with a title and a description, and a table under it.
    assert page.count('role="img"') == 5
    assert page.count("<title id=") == 5 and page.count("<desc id=") == 5
    assert "<table" in page and "risk-summary-slot" in page


def test_a_street_supervisor_sees_only_their_street(client, district):
    boss = street_supervisor(district)
    board = open_measures(client, boss).context["board"]

    assert [name for _pk, name, _n in board.open_by_street] == [district.a.street.name]
    assert board.new_total == 2
    assert board.money.recovered == Decimal("1000.00")
    # The other street, as a filter, is a page that does not exist for them.
    assert open_measures(client, boss, f"unit={district.b.street.pk}").status_code == 404
    assert open_measures(client, boss, f"unit={district.district.pk}").status_code == 404
    download = reverse("casework:dashboard_download", args=["street", "csv"])
    assert client.get(f"{download}?unit={district.b.street.pk}").status_code == 404
    # Their exports hold their street's cases only.
    export = client.get(reverse("casework:case_export", args=["csv"]) + "?queue=all")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3  # the heading and street A's two cases
    assert {row[4] for row in rows[1:]} == {district.a.street.name}


@pytest.mark.parametrize(
    "query",
    [
        "date_from=2026-03-20&date_to=2026-03-01",
        "date_from=not-a-date&date_to=2026-03-01",
        "date_from=0001-01-01&date_to=9999-12-31",
        "date_from=2000-01-01&date_to=2026-03-01",
        "category=nonsense",
        "company=abc",
        "company=99999999",
    ],
)
def test_bad_filters_are_told_not_a_server_error(client, district, query):
    response = open_measures(client, district.supervisor, query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["board"].filters.preset == "month"  # the month is shown instead


@pytest.mark.parametrize("unit", ["99999999", "9223372036854775807"])
def test_a_forged_unit_is_not_found(client, district, unit):
    assert open_measures(client, district.supervisor, f"unit={unit}").status_code == 404


def test_a_nul_character_is_refused_with_a_message(client, district):
    # The edge refuses control characters in any request (casework's bad-input page).
    assert open_measures(client, district.supervisor, "date_from=2026-03-01%00").status_code == 400


def test_only_supervisors_open_the_page(client, district):
    for user in (district.a.coordinator, district.worker, district.representative):
        client.force_login(user)
        assert client.get(MEASURES).status_code == 404
        assert client.get(reverse("casework:dashboard_report")).status_code == 404


def test_the_presets_cover_the_quarter_and_the_year(client, district):
    quarter = open_measures(client, district.supervisor, "preset=quarter").context["board"]
    year = open_measures(client, district.supervisor, "preset=year").context["board"]
    assert quarter.filters.start == date(2026, 1, 1) == year.filters.start
    assert len(year.weeks) == 12  # the Mondays from 29 Dec 2025 to 16 Mar 2026


def test_one_date_alone_is_completed(client, district):
    board = open_measures(client, district.supervisor, "date_from=2026-02-10").context["board"]
    assert (board.filters.start, board.filters.end) == (date(2026, 2, 10), TODAY)
    board = open_measures(client, district.supervisor, "date_to=2026-02-10").context["board"]
    assert (board.filters.start, board.filters.end) == (date(2026, 2, 1), date(2026, 2, 10))


def test_each_download_has_exactly_the_numbers_shown_and_is_recorded(client, district):
    response = open_measures(client, district.supervisor)
    charts = {chart.key: chart for chart in response.context["charts"]}
    for key, chart in charts.items():
        url = reverse("casework:dashboard_download", args=[key, "csv"])
        body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0] == chart.columns
        assert rows[1:] == [[row.label, *("" if v is None else str(v) for v in row.values)]
                            for row in chart.rows], key  # fmt: skip
        url = reverse("casework:dashboard_download", args=[key, "xlsx"])
        book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content)))
        cells = [list(row) for row in book.active.iter_rows(values_only=True)]
        assert len(cells) == len(chart.rows) + 1
        for row, shown in zip(chart.rows, cells[1:], strict=True):
            assert [None if v is None else float(v) for v in row.values] == [
                None if v in (None, "") else float(v) for v in shown[1:]
            ], key
    assert LedgerExport.objects.filter(user=district.supervisor).count() == 2 * len(charts)
    assert (
        client.get(reverse("casework:dashboard_download", args=["nope", "csv"])).status_code == 404
    )
    assert (
        client.get(reverse("casework:dashboard_download", args=["state", "pdf"])).status_code == 404
    )


def test_every_figure_links_to_the_cases_behind_it(client, district):
    response = open_measures(client, district.supervisor)
    charts = {chart.key: chart for chart in response.context["charts"]}
    street_row = next(r for r in charts["street"].rows if r.label == district.b.street.name)
    queue = client.get(street_row.links[0])
    assert [case.worker_name for case in queue.context["page"].rows] == ["丙"]
    company = next(r for r in charts["company"].rows if r.label == district.operator.name)
    assert len(client.get(company.links[0]).context["page"].rows) == company.values[0] == 1
    weeks = charts["weeks"].rows
    resolved_week = next(r for r in weeks if r.values[1])
    assert len(client.get(resolved_week.links[1]).context["page"].rows) == 1
    for row in weeks:
        assert len(client.get(row.links[0]).context["page"].rows) == row.values[0]


def test_the_page_reads_a_fixed_number_of_queries(client, district, django_assert_max_num_queries):
    client.force_login(district.supervisor)
    client.get(MEASURES)  # sign-in: the user and their scope are read
    with django_assert_max_num_queries(40) as few:
        client.get(MEASURES)
    for day in (6, 9, 11, 12, 13):
        case = make_case_on(date(2026, 3, day), worker=make_case_worker(), street=district.a.street)
        transition_on(date(2026, 3, day + 1), case, "accept", district.supervisor)
    with django_assert_max_num_queries(40) as more:
        client.get(MEASURES)
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_monthly_report_is_a_pdf_with_figures_and_digests(client, district, tmp_path):
    from casework.audit.digests import digest_record

    with frozen_now(beijing(date(2026, 3, 11), 1)):
        digest_record(day=date(2026, 3, 10))
    client.force_login(district.supervisor)
    response = client.get(reverse("casework:dashboard_report") + "?month=2026-03")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603 (our own temporary file)
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "2026年3月 欠薪投诉处理月报" in text
    assert "每周新增与办结案件" in text  # a chart's title, in Chinese whoever asked
    assert "审计日志日摘要" in text and "2026-03-10" in text
    assert LedgerExport.objects.filter(kind="monthly report").count() == 1
    for bad in ("2026-13", "abc", "1900-01", "２０２６-03"):
        assert client.get(reverse("casework:dashboard_report") + f"?month={bad}").status_code == 404


def test_the_company_list_exports_the_companies_of_the_users_cases(client, district):
    client.force_login(street_supervisor(district))
    body = client.get(reverse("casework:company_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(body.streaming_content).decode("utf-8-sig"))))
    names = [row[0] for row in rows[1:]]
    assert district.operator.name not in names  # named on street B's case only
    assert len(names) == 1
    assert LedgerExport.objects.filter(kind="companies").count() == 1
    client.force_login(district.worker)
    assert client.get(reverse("casework:company_export", args=["xlsx"])).status_code == 404
