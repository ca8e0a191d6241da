"""Two ledger sweeps at the same moment (cron on two machines, or a run that overlaps the
next): each missed instalment is flagged once, and its team and worker are told once."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection

from arrears.enforcement import MissedInstalment
from arrears.services.enforcement import ledger_sweep
from casework.clocks.work_calendar import forget_calendar
from casework.notifications.models import Notification, NotificationKind
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent
from tests.arrears.ledger_helpers import NOW, binding_agreement, verify, verifying_case
from tests.concurrency import run_together
from tests.factories.cases import make_org

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.now(NOW),
]


def reseed():
    """The seed rows (calendar, rules, system user) that earlier transactional tests flushed."""
    module = importlib.import_module("casework.migrations.0006_seed_calendar_rules_routing")
    module.seed(django_apps, None)
    forget_calendar()


def test_two_ledger_sweeps_at_once_flag_each_missed_instalment_once(now_is):
    reseed()
    org = make_org()
    cases = []
    for amount in ("3000.00", "1800.00"):
        case = verifying_case(org)
        verify(org, case, amount)
        binding_agreement(org, case, amount, [(7, "30"), (21, "30"), (35, "40")])
        cases.append(case)
    # Given six instalments whose days have all passed unpaid
    now_is("2027-01-20", hour=9)

    # When two sweeps run at the same moment
    results = run_together([ledger_sweep, ledger_sweep])

    # Then both finish, and between them each instalment is flagged once
    assert all(ok for ok, _ in results), results
    assert sum(report.instalments_missed for _, report in results) == 6
    assert MissedInstalment.objects.count() == 6
    for case in cases:
        entries = CaseEvent.objects.filter(case=case, kind=EventKind.INSTALMENT_MISSED)
        assert entries.count() == 3, "the case's timeline shows each missed instalment once"
        told = Notification.objects.filter(
            case=case, recipient=org.worker, kind=NotificationKind.INSTALMENT_MISSED
        )
        assert told.count() == 3, "the worker hears of each missed instalment once"
    # and a third sweep finds nothing left
    assert ledger_sweep().instalments_missed == 0
