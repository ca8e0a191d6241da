"""Supervisors browse every change record of their units, filter it, read it in words and
download it; a street supervisor sees only their street, on the page and in the export."""

import csv
import io

import pytest
from django.urls import reverse

from casework.cases.models import Case
from casework.core.roles import Role
from casework.privacy.models import AccessKind, DataAccess
from tests.factories.cases import make_case, make_org, put_case_in_state
from tests.factories.organisation import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-03T10:00+08:00")]


@pytest.fixture
def world():
    org = make_org()
    east = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    west = make_case(worker=org.other_worker, street=org.b.street, platform=org.platform)
    put_case_in_state(east, "accepted", org.a.coordinator)
    put_case_in_state(west, "accepted", org.b.coordinator)
    org.street_supervisor = make_staff(
        role=Role.SUPERVISOR, team=org.a.coordinators, display_name="街道督导"
    )
    return org, Case.objects.get(pk=east.pk), Case.objects.get(pk=west.pk)


def _export(client, **params):
    response = client.get(reverse("casework:audit_export"), params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_district_supervisor_reads_every_change_in_words(client, world):
    org, east, west = world
    client.force_login(org.supervisor)
    page = client.get(reverse("casework:audit_browser"))
    assert page.status_code == 200
    assert east.reference in page.text and west.reference in page.text
    # the acceptance: who, the field by its name and the states by their labels, the reason
    assert "协调员" in page.text
    assert "状态" in page.text and "已提交" in page.text and "已受理" in page.text


def test_a_street_supervisor_sees_only_their_street_on_the_page_and_in_the_export(client, world):
    org, east, west = world
    client.force_login(org.street_supervisor)
    page = client.get(reverse("casework:audit_browser"))
    assert page.status_code == 200
    assert east.reference in page.text
    assert west.reference not in page.text, "a street supervisor read another street's changes"
    rows = _export(client)
    records = {row[4] for row in rows[1:]}
    assert east.reference in records
    assert west.reference not in records
    # filtering by the other street's case finds nothing, rather than its records
    page = client.get(reverse("casework:audit_browser"), {"case": west.reference})
    assert "audit-entry" not in page.text


def test_the_filters_narrow_the_view(client, world):
    org, east, west = world
    client.force_login(org.supervisor)
    url = reverse("casework:audit_browser")
    by_case = client.get(url, {"case": east.reference}).text
    assert east.reference in by_case and f">{west.reference}<" not in by_case
    by_person = client.get(url, {"person": "协调员"}).text
    assert "已受理" in by_person
    created = client.get(url, {"action": "+", "model": "casework_historicalcase"}).text
    assert east.reference in created and "已受理" not in created
    nothing = client.get(url, {"date_from": "2026-12-04"}).text
    assert "audit-entry" not in nothing


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-13-45"},
        {"date_from": "1000-01-01"},
        {"date_from": "2026-12-05", "date_to": "2026-12-01"},
        {"person": "a\x00b"},
        {"model": "auth_user"},
        {"action": "x"},
        {"after": "not-a-cursor"},
        {"after": "99999999999999999999999.-3"},
        {"case": "x" * 500},
    ],
)
def test_bad_filters_are_told_and_never_break_the_page(client, world, params):
    org, _east, _west = world
    client.force_login(org.supervisor)
    # 400: the site's edge refuses NUL characters before any view reads them
    assert client.get(reverse("casework:audit_browser"), params).status_code in (200, 400)
    assert client.get(reverse("casework:audit_export"), params).status_code in (200, 400)


def test_older_pages_follow_the_cursor_without_repeating(client, world, monkeypatch):
    org, _east, _west = world
    monkeypatch.setattr("casework.supervision.audit_browser.selectors.PAGE_SIZE", 3)
    client.force_login(org.supervisor)
    seen, query, pages = [], "", 0
    from casework.supervision.audit_browser.filters import AuditQuery
    from casework.supervision.audit_browser.selectors import audit_page_for_user

    after = None
    while True:
        page = audit_page_for_user(user=org.supervisor, query=AuditQuery(), after=after)
        seen += [entry.seq for entry in page.entries]
        pages += 1
        if page.next_cursor is None:
            break
        after = page.next_cursor
    del query
    assert pages > 2
    assert len(seen) == len(set(seen)), "a record was shown on two pages"
    assert seen == sorted(seen, reverse=True)
    first = client.get(reverse("casework:audit_browser"))
    assert 'rel="next"' in first.text


def test_the_export_is_recorded_with_its_filter(client, world):
    org, east, _west = world
    client.force_login(org.supervisor)
    _export(client, case=east.reference)
    record = DataAccess.objects.get(kind=AccessKind.AUDIT_EXPORT)
    assert record.actor == org.supervisor
    assert east.reference in record.detail


@pytest.mark.parametrize("who", ["coordinator", "worker", "representative"])
def test_no_one_but_supervisors_and_administrators_finds_the_browser(client, world, who):
    org, _east, _west = world
    user = {
        "coordinator": org.a.coordinator,
        "worker": org.worker,
        "representative": org.representative,
    }[who]
    client.force_login(user)
    for name in ("casework:audit_browser", "casework:audit_export", "casework:audit_access_log"):
        assert client.get(reverse(name)).status_code == 404
    assert not DataAccess.objects.exists()


def test_the_dashboard_links_to_the_browser(client, world):
    org, _east, _west = world
    client.force_login(org.street_supervisor)
    dashboard = client.get(reverse("casework:dashboard")).text
    assert reverse("casework:audit_browser") in dashboard
    assert reverse("casework:audit_access_log") in dashboard


def test_a_page_costs_the_same_queries_for_few_and_many_records(
    client, world, django_assert_max_num_queries
):
    org, _east, _west = world
    client.force_login(org.supervisor)
    url = reverse("casework:audit_browser")
    client.get(url)  # warm the session and the scope
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        more = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
        put_case_in_state(more, "accepted", org.a.coordinator)
    # two queries per record type on the page and one per related model named, never per row
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
