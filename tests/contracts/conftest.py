import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from casework.models import CalendarYear, DeadlineRule, User
from casework.work_calendar import forget_calendar
from mediation.contracts.models import ClauseTemplate


def _seed(module_name: str) -> None:
    importlib.import_module(module_name).seed(django_apps, None)


@pytest.fixture(autouse=True)
def seed_data(db):
    """Put the migrations' seed back when an earlier transactional test (anywhere in the run)
    flushed it: the clause library, the CBA deadline rules, the calendar, the system user.
    Both seeds are idempotent."""
    if not ClauseTemplate.objects.exists():
        _seed("mediation.contracts.migrations.0002_seed_clause_library")
    if not (
        DeadlineRule.objects.filter(key="CBA_REVIEW").exists()
        and CalendarYear.objects.exists()
        and User.objects.filter(username=settings.ANXIN_SYSTEM_USERNAME).exists()
    ):
        _seed("casework.migrations.0006_seed_calendar_rules_routing")
        forget_calendar()
