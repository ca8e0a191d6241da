"""Issue 19: configuration tables kept in each process (casework/core/table_copies.py) are read
once, and read again after any process changes them: a saved or deleted row, a changed
many-to-many, or another process's token; never trusted while the cache is unreachable."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.clocks.models import DeadlineRule
from casework.clocks.services import clock_rules as active_rules
from casework.core import table_copies
from casework.core.outbound import capture_outbound
from casework.core.table_copies import TableCopy
from casework.organisation.choices import TeamKind, UnitKind
from casework.organisation.models import Team, Unit
from casework.organisation.tiers import covering_team
from casework.routing.models import RoutingRule
from casework.routing.router import route_new_case, routing_rules
from tests.factories.organisation import make_street, make_team
from tests.factories.seeds import restore_seeded_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded_rules():
    restore_seeded_rows()  # the clock rules, which a transactional test may have flushed


def _reads(copy: TableCopy) -> int:
    with CaptureQueriesContext(connection) as queries:
        copy.get()
    return len(queries)


def test_a_copy_is_read_once_and_kept():
    assert _reads(active_rules) == 1
    assert _reads(active_rules) == 0


def test_saving_or_deleting_a_row_is_seen_at_once_and_again_after_commit(
    django_capture_on_commit_callbacks,
):
    rule = DeadlineRule.objects.order_by("pk").first()
    assert rule.key in active_rules.get().active
    with capture_outbound() as sent, django_capture_on_commit_callbacks(execute=True):
        rule.is_active = False
        rule.save(update_fields=["is_active"])
        assert rule.key not in active_rules.get().active
        token = cache.get(table_copies.GENERATION_KEY)
    # Another process may have read the old row before the commit: the token moves again then.
    assert [s.kind for s in sent] == ["cache"]
    assert cache.get(table_copies.GENERATION_KEY) != token
    rule.delete()
    assert _reads(active_rules) == 1


def test_another_process_changing_a_table_is_seen_here():
    active_rules.get()
    # What another worker's forget() does: a new token in the shared cache.
    cache.set(table_copies.GENERATION_KEY, "from-another-process", timeout=None)
    assert _reads(active_rules) == 1
    assert _reads(active_rules) == 0


def test_an_emptied_cache_means_read_again():
    active_rules.get()
    cache.clear()
    assert _reads(active_rules) == 1


def test_without_the_cache_every_use_reads_the_table():
    active_rules.get()
    with mock.patch.object(table_copies.cache, "get", side_effect=ConnectionError("down")):
        assert _reads(active_rules) == 1
        assert _reads(active_rules) == 1


def test_a_request_reads_the_token_once_and_sees_its_own_changes():
    table_copies._new_request()  # what request_started does (without closing connections)
    try:
        with mock.patch.object(table_copies.cache, "get", wraps=table_copies.cache.get) as read:
            active_rules.get()
            routing_rules.get()
            assert read.call_count <= 2  # the token (and again after adding it, at first)
            calls = read.call_count
            active_rules.get()
            assert read.call_count == calls
            rule = DeadlineRule.objects.order_by("pk").first()
            rule.is_active = False
            rule.save(update_fields=["is_active"])
            assert rule.key not in active_rules.get().active
    finally:
        table_copies._request_token.set(None)


def test_a_copy_is_read_again_when_old(monkeypatch):
    active_rules.get()
    later = table_copies.time.monotonic() + table_copies.MAX_AGE_SECONDS + 1
    monkeypatch.setattr(table_copies.time, "monotonic", lambda: later)
    assert _reads(active_rules) == 1


def _first_team(street: Unit) -> Team:
    return route_new_case(jurisdiction=street, category="pay_arrears").team


def test_routing_follows_a_new_rule_and_a_team_covering_a_street():
    street = make_street()
    coordinators = make_team(unit=street, kind=TeamKind.COORDINATORS)
    assert _first_team(street) == coordinators  # no station: the coordinators
    station = make_team(unit=make_street(), kind=TeamKind.SERVICE_STATION)
    station.covers.add(street)  # a many-to-many change, no row of Team saved
    assert _first_team(street) == station
    RoutingRule.objects.create(
        category="pay_arrears", jurisdiction=street, team_kind=TeamKind.COORDINATORS, priority=1
    )
    assert _first_team(street) == coordinators
    station.covers.remove(street)
    assert covering_team(street, TeamKind.SERVICE_STATION) is None


def test_the_covering_team_is_the_closest_units_team():
    district = Unit.objects.create(code="d", name="区", kind=UnitKind.DISTRICT)
    department = Unit.objects.create(
        code="dep", name="部门", kind=UnitKind.DEPARTMENT, parent=district
    )
    streets = [make_street(), make_street()]
    teams = [
        make_team(unit=district, kind=TeamKind.COORDINATORS),
        make_team(unit=department, kind=TeamKind.COORDINATORS),
        make_team(unit=streets[0], kind=TeamKind.COORDINATORS),
        make_team(unit=district, kind=TeamKind.UNIT_OFFICE),
        make_team(unit=department, kind=TeamKind.UNIT_OFFICE),
    ]
    for team in teams:
        team.covers.add(*streets)
    # the closest unit first: the street's own team, then a department's, then the district's
    assert covering_team(streets[0], TeamKind.COORDINATORS) == teams[2]
    assert covering_team(streets[1], TeamKind.COORDINATORS) == teams[1]
    assert covering_team(streets[0], TeamKind.UNIT_OFFICE) == teams[4]
    teams[1].covers.remove(streets[1])
    assert covering_team(streets[1], TeamKind.COORDINATORS) == teams[0]
