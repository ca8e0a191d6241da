"""The rows data migrations seed, put back after a transactional test flushed them.

A transactional test (live server, channels, concurrency) ends with a flush that empties every
table, including what migrations seeded: the calendar, the deadline and routing rules, the
system user and the clause library. Tests that need them call this first; both seeds are
idempotent.
"""

import importlib

from django.apps import apps as django_apps
from django.conf import settings

from casework.clocks.models import CalendarYear, DeadlineRule
from casework.clocks.work_calendar import forget_calendar
from casework.core.table_copies import forget as forget_table_copies
from casework.organisation.models import User


def _seed(module_name: str) -> None:
    importlib.import_module(module_name).seed(django_apps, None)


def restore_seeded_rows() -> None:
    from mediation.contracts.models import ClauseTemplate
    from platforms.risk.models import RiskBand

    if not ClauseTemplate.objects.exists():
        _seed("mediation.contracts.migrations.0002_seed_clause_library")
    if not RiskBand.objects.exists():
        _seed("platforms.risk.migrations.0002_risk_rules")
    if not (
        DeadlineRule.objects.filter(key="CBA_REVIEW").exists()
        and CalendarYear.objects.exists()
        and User.objects.filter(username=settings.ANXIN_SYSTEM_USERNAME).exists()
    ):
        _seed("casework.migrations.0006_seed_calendar_rules_routing")
        _name_seeded_rows_in_both_languages()
        forget_calendar()
    if not DeadlineRule.objects.filter(key="RATING_REVIEW").exists():
        _seed("casework.migrations.0029_merge_rating_review_rule")
    forget_table_copies()  # seeded through the migrations' models, which send no signal


def _name_seeded_rows_in_both_languages() -> None:
    """The English names (and the holidays' Chinese ones) a later migration gives the seeded
    rows; found by its name, whatever number it has."""
    from pathlib import Path

    import casework.migrations

    (path,) = Path(casework.migrations.__file__).parent.glob("*_words_names_per_language.py")
    module = importlib.import_module(f"casework.migrations.{path.stem}")
    module.name_in_both_languages(django_apps, None)
