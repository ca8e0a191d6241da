"""Each case's first acceptance and resolution, kept on its row for the statistics page's
waits, equal the moments of those steps on its timeline: as the transition service writes
them, and as the data migration fills them for the cases that existed before."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from casework.cases.models import Case
from casework.timeline.models import CaseEvent
from tests.factories.cases import make_case_on, make_case_worker, make_org, transition_on

pytestmark = [pytest.mark.django_db, pytest.mark.now(date(2026, 3, 20), hour=15)]


def _step_moment(case: Case, transition: str):
    return (
        CaseEvent.objects.filter(case=case, kind="transition", transition=transition)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def _walk(org) -> tuple[Case, Case]:
    resolved = make_case_on(date(2026, 3, 2), worker=make_case_worker(), street=org.a.street)
    for day, name in ((3, "accept"), (4, "start_verification")):
        transition_on(date(2026, 3, day), resolved, name, org.supervisor)
    transition_on(date(2026, 3, 9), resolved, "resolve", org.supervisor, waiver="工人放弃其余。")
    waiting = make_case_on(date(2026, 3, 5), worker=make_case_worker(), street=org.a.street)
    transition_on(date(2026, 3, 6), waiting, "accept", org.supervisor)
    return resolved, waiting


def test_the_transition_service_keeps_the_first_steps_on_the_case():
    resolved, waiting = _walk(make_org())
    resolved.refresh_from_db()
    waiting.refresh_from_db()
    assert resolved.first_accepted_at == _step_moment(resolved, "accept")
    assert resolved.first_resolved_at == _step_moment(resolved, "resolve")
    assert waiting.first_accepted_at == _step_moment(waiting, "accept")
    assert waiting.first_resolved_at is None


def test_the_data_migration_fills_the_first_steps_of_existing_cases():
    resolved, waiting = _walk(make_org())
    Case.objects.update(first_accepted_at=None, first_resolved_at=None)
    migration = importlib.import_module("casework.migrations.0029_dashperf_first_steps")
    migration.fill_first_steps(apps, None)
    resolved.refresh_from_db()
    waiting.refresh_from_db()
    assert resolved.first_accepted_at == _step_moment(resolved, "accept")
    assert resolved.first_resolved_at == _step_moment(resolved, "resolve")
    assert (waiting.first_accepted_at, waiting.first_resolved_at) == (
        _step_moment(waiting, "accept"),
        None,
    )
