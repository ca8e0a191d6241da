"""Issue 20: the same grievance already open is found by the person (phone or ID number),
scored by employer, period and amount; the worker is told on intake, staff see candidates."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from casework.duplicates.finder import find_duplicates
from tests.factories.cases import make_case, make_org, make_platform, put_case_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def org():
    return make_org()


def search(org, **changes):
    query = {
        "phone": org.worker.mobile,
        "id_number": "",
        "company_ids": [org.platform.pk],
        "period_start": date(2026, 3, 1),
        "period_end": date(2026, 3, 31),
        "amount": Decimal("3000.00"),
    }
    return find_duplicates(**{**query, **changes})


def test_the_same_grievance_is_found_in_one_query(org, django_assert_num_queries):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    with django_assert_num_queries(1):
        found = search(org)
    assert [c.case for c in found] == [case]
    assert found[0].similarity == 1.0 and found[0].differences == []


def test_differences_are_said_in_words_and_lower_the_similarity(org):
    make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    found = search(org, amount=Decimal("3600.00"), period_end=date(2026, 4, 30))
    assert 0.6 <= found[0].similarity < 1.0
    assert len(found[0].differences) == 2  # the period and the amount


def test_another_grievance_of_the_same_worker_is_not_a_duplicate(org):
    make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    other = make_platform("飞驰出行")
    assert search(org, company_ids=[other.pk], period_start=date(2025, 1, 1),
                  period_end=date(2025, 1, 31), amount=Decimal("80.00")) == []  # fmt: skip


def test_another_workers_or_a_concluded_case_is_not_found(org):
    make_case(worker=org.other_worker, street=org.a.street, platform=org.platform)
    assert search(org) == []
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    put_case_in_state(case, "withdrawn", org.supervisor)
    assert search(org) == []


def test_the_id_number_finds_a_case_filed_from_another_phone(org):
    make_case(
        worker=org.other_worker,
        street=org.a.street,
        platform=org.platform,
        worker_id_number=ID_NUMBER,
    )
    found = search(org, phone="13700000000", id_number=ID_NUMBER.lower())
    assert len(found) == 1 and found[0].differences


def test_staff_see_candidates_on_the_case_page_panel_within_their_reach(client, org):
    first = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    second = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.force_login(org.a.coordinator)
    panel = client.get(reverse("casework:case_duplicates", args=[second.pk]) + "?panel=1")
    assert first.reference in panel.content.decode()
    assert reverse("casework:case_detail", args=[first.pk]) in panel.content.decode()
    client.force_login(org.b.coordinator)
    assert client.get(reverse("casework:case_duplicates", args=[second.pk])).status_code == 404
    client.force_login(org.worker)
    assert client.get(reverse("casework:case_duplicates", args=[second.pk])).status_code == 404


def test_the_worker_is_told_on_review_that_they_already_filed(client, org):
    from tests.casework.cases.test_case_pages import walk_steps

    case = make_case(
        worker=org.worker,
        street=org.a.street,
        platform=org.platform,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
    )
    client.force_login(org.worker)
    walk_steps(client, org.a.street, org.platform)
    page = client.get(reverse("casework:intake_step", args=[5])).content.decode()
    assert case.reference in page, page[:2000]
    assert reverse("casework:case_detail", args=[case.pk]) in page


def test_a_whole_file_is_searched_in_one_query_and_finds_what_one_search_finds(
    org, django_assert_num_queries
):
    from casework.duplicates.finder import Probe, find_duplicates_many

    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    same = Probe(
        phone=org.worker.mobile,
        id_number="",
        company_ids=frozenset([org.platform.pk]),
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
    )
    stranger = Probe("13700001111", "", frozenset(), date(2026, 3, 1), date(2026, 3, 31))
    elsewhere = Probe(org.worker.mobile, "", frozenset(), date(2020, 1, 1), date(2020, 1, 31))
    with django_assert_num_queries(1):
        found = find_duplicates_many([same, stranger, elsewhere, same])
    assert [c.case if c else None for c in found] == [case, None, None, case]
    one = search(org, amount=None)[0]
    assert found[0].similarity == one.similarity, "scored as the search at intake scores"
