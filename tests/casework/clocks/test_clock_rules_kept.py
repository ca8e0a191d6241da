"""Issue 19: the clock rules are kept in each process (casework/core/table_copies.py): a rule
switched off or lengthened by an admin applies to the next case at once, a clock whose rule was
switched off while it ran still ends, and a transition locks its case's clocks without locking
the rules every other case shares."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.clocks.models import Deadline, DeadlineRule, DeadlineStatus
from tests.casework.clocks.test_clocks_and_sweep import clock, file_on, walk
from tests.factories.cases import cover_streets_with_unit_office, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]


@pytest.fixture
def org():
    return cover_streets_with_unit_office(make_org())


def test_an_admins_change_to_a_rule_applies_to_the_next_case(org):
    file_on(org, date(2025, 9, 26))  # the rules are read
    rule = DeadlineRule.objects.get(key="INSPECTION_ACCEPT")
    rule.length = 7
    rule.save(update_fields=["length"])
    assert clock(file_on(org, date(2025, 9, 26)), "INSPECTION_ACCEPT").length == 7
    rule.is_active = False
    rule.save(update_fields=["is_active"])
    later = file_on(org, date(2025, 9, 26))
    assert not Deadline.objects.filter(case=later).exists()


def test_a_clock_whose_rule_was_switched_off_still_ends(org):
    case = file_on(org, date(2025, 9, 26))
    DeadlineRule.objects.filter(key="INSPECTION_INVESTIGATE").update(is_active=False)
    rule = DeadlineRule.objects.get(key="INSPECTION_ACCEPT")
    rule.is_active = False
    rule.save(update_fields=["is_active"])
    walk(case, [(date(2025, 9, 29), "accept", {})], org.a.station_coordinator)
    assert clock(case, "INSPECTION_ACCEPT").status == DeadlineStatus.MET


def test_a_transition_locks_the_clocks_not_the_rules(org):
    case = file_on(org, date(2025, 9, 26))
    with CaptureQueriesContext(connection) as queries:
        walk(case, [(date(2025, 9, 29), "accept", {})], org.a.station_coordinator)
    locking = [
        q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and "casework_deadline" in q["sql"]
    ]
    assert locking and not any("casework_deadlinerule" in sql for sql in locking)
