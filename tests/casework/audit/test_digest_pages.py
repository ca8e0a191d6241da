"""Supervisors read, print and download each day's seal; no one else finds the pages."""

import json

import pytest
from django.urls import reverse

from casework.audit.digests import digest_record
from casework.core.roles import Role
from tests.clock import beijing, frozen_now
from tests.factories.cases import make_case, make_org
from tests.factories.organisation import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-03T10:00+08:00")]


@pytest.fixture
def sealed():
    with frozen_now(beijing("2026-12-01", 9)):
        org = make_org()
        make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    return org, digest_record(day=beijing("2026-12-01").date())


def test_a_supervisor_reads_prints_and_downloads_a_days_digest(client, sealed):
    org, digest = sealed
    client.force_login(org.supervisor)
    listing = client.get(reverse("casework:audit_digests"))
    assert listing.status_code == 200
    assert "2026-12-01" in listing.text
    page = client.get(reverse("casework:audit_digest", args=["2026-12-01"]))
    assert page.status_code == 200
    assert digest.merkle_root in page.text and digest.head_hash in page.text
    export = client.get(reverse("casework:audit_digest_json", args=["2026-12-01"]))
    assert export.status_code == 200
    data = json.loads(export.content)
    assert data["merkle_root"] == digest.merkle_root
    assert data["head_seq"] == digest.head_seq
    assert data["entries"] == digest.entries > 0


def test_the_dashboard_links_to_the_digests(client, sealed):
    org, _digest = sealed
    client.force_login(org.supervisor)
    assert reverse("casework:audit_digests") in client.get(reverse("casework:dashboard")).text


@pytest.mark.parametrize("who", ["coordinator", "worker", "representative"])
def test_no_one_but_supervisors_and_administrators_finds_the_pages(client, sealed, who):
    org, _digest = sealed
    user = {
        "coordinator": org.a.coordinator,
        "worker": org.worker,
        "representative": org.representative,
    }[who]
    client.force_login(user)
    for url in (
        reverse("casework:audit_digests"),
        reverse("casework:audit_digest", args=["2026-12-01"]),
        reverse("casework:audit_digest_json", args=["2026-12-01"]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_administrator_reads_them_and_a_bad_day_is_not_found(client, sealed):
    org, _digest = sealed
    client.force_login(org.admin)
    assert client.get(reverse("casework:audit_digests")).status_code == 200
    for day in ("2026-13-01", "2026-11-30", "x%00", "9999-12-31"):
        assert client.get(reverse("casework:audit_digest", args=[day])).status_code == 404


def test_the_list_takes_the_same_queries_for_one_day_and_for_many(
    client, sealed, django_assert_num_queries
):
    org, _digest = sealed
    supervisor = make_staff(role=Role.SUPERVISOR, team=org.unit_office)
    client.force_login(supervisor)
    client.get(reverse("casework:audit_digests"))
    # 2: the digests and their days (the user, their scope and their unread count are kept)
    with django_assert_num_queries(2) as one:
        client.get(reverse("casework:audit_digests"))
    digest_record(day=beijing("2026-12-02").date())
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("casework:audit_digests"))
