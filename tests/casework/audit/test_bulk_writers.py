"""Rows the sweep writes in bulk (no signal) are chained all the same."""

from datetime import date, timedelta

import pytest

from casework.audit.models import ChainEntry
from casework.audit.verify import verify_chain
from casework.cases.models import Case
from casework.cases.services.handling import case_assign
from casework.clocks.sweep import sweep_deadlines
from casework.clocks.work_calendar import forget_calendar
from casework.timeline.choices import EventKind
from tests.clock import beijing
from tests.factories.cases import cover_streets_with_unit_office, make_case_on, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]


@pytest.fixture(autouse=True)
def fresh_calendar():
    forget_calendar()
    yield
    forget_calendar()


def test_the_sweeps_escalations_and_breaches_are_links_of_the_chain():
    org = cover_streets_with_unit_office(make_org())
    filed = date(2026, 9, 28)
    case = make_case_on(
        filed,
        worker=org.worker,
        street=org.a.street,
        platform=org.platform,
        period_start=filed - timedelta(days=60),
        period_end=filed - timedelta(days=30),
    )
    case_assign(
        actor=org.a.station_coordinator, case_id=case.pk, assignee_id=org.a.station_coordinator.pk
    )
    report = sweep_deadlines(now=beijing(date(2026, 10, 12)))
    assert report.escalated == 1

    escalated = Case.objects.get(pk=case.pk).events.get(kind=EventKind.ESCALATED)
    assert ChainEntry.objects.filter(table="casework_caseevent", row_id=str(escalated.pk)).exists()
    latest = Case.objects.get(pk=case.pk).history.order_by("-history_id").first()
    assert ChainEntry.objects.filter(
        table="casework_historicalcase", row_id=str(latest.history_id)
    ).exists()
    result = verify_chain()
    assert result.ok, [str(p) for p in result.problems]
