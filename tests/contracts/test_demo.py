"""The demo contracts load on the demo district, through the services, idempotently."""

import pytest

from casework.management.commands.seed_demo import seed_demo
from mediation.contracts.choices import ContractState
from mediation.contracts.demo import INDUSTRY_TITLE, PLATFORM_TITLE, seed_demo_contracts
from mediation.contracts.models import CollectiveContract

pytestmark = pytest.mark.django_db


# The demo dates its contracts from the day it is loaded (`make run`): it must load on any day.
@pytest.mark.parametrize(
    "today",
    [
        "2026-06-15T10:00",
        "2026-02-14T10:00",  # a make-up Saturday before the Spring Festival
        "2026-12-31T23:50",
        "2027-01-01T00:30",  # a year without the official calendar
    ],
)
def test_demo_contracts_one_in_force_one_in_consultation_idempotent(now_is, today):
    now_is(today)
    seed_demo()  # loads the district, then (wired by seed_demo) the demo contracts
    if not CollectiveContract.objects.exists():
        assert seed_demo_contracts() == 2
    platform = CollectiveContract.objects.get(title=PLATFORM_TITLE)
    industry = CollectiveContract.objects.get(title=INDUSTRY_TITLE)
    assert platform.state == ContractState.IN_FORCE
    assert platform.company.short_name == "速达外卖"
    assert platform.clauses.count() == 15
    assert platform.versions.count() >= 15
    assert platform.votes.get().passed
    assert industry.state == ContractState.CONSULTING
    assert industry.reply_on is not None and industry.reply_due_on is not None
    assert seed_demo_contracts() == 0
    assert CollectiveContract.objects.count() == 2
