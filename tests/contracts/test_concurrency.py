"""Two people (or two sweeps) acting on one contract at the same moment: the row lock lets one
win; the other is told the current state and changes nothing. PostgreSQL only: SQLite
serialises whole transactions, so there is no race to observe."""

from datetime import date

import pytest
from django.db import connection

from casework.core.errors import ActionRefused
from casework.core.roles import Role
from casework.organisation.models import User
from mediation.contracts.choices import ContractState
from mediation.contracts.models import CollectiveContract
from mediation.contracts.services.lifecycle import contract_transition, contracts_sweep
from tests.clock import beijing
from tests.concurrency import run_together
from tests.contracts.builders import make_contract_org, put_contract_in_state
from tests.factories.organisation import make_staff

S = ContractState

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    # The seeded rows a flush takes away are put back by seed_data (conftest.py):
    # serialized_rollback would collide with the content types a flush re-creates.
    pytest.mark.django_db(transaction=True),
    pytest.mark.now("2026-03-16T15:00"),
]


def test_two_supervisors_record_the_review_at_once_one_wins():
    co = make_contract_org()
    second = make_staff(role=Role.SUPERVISOR, team=co.org.unit_office, display_name="副督导")
    contract = put_contract_in_state(
        S.FILED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    history = contract.history.count()

    def no_objection():
        actor = User.objects.get(pk=co.supervisor.pk)
        return contract_transition(
            actor=actor, contract_id=contract.pk, name="accept_review", expected_state=S.FILED
        ).state

    def objection():
        actor = User.objects.get(pk=second.pk)
        return contract_transition(
            actor=actor,
            contract_id=contract.pk,
            name="return_with_opinion",
            expected_state=S.FILED,
            opinion="第三条需修改。",
        ).state

    results = run_together([no_objection, objection])

    winners = [value for ok, value in results if ok]
    losers = [value for ok, value in results if not ok]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], ActionRefused), repr(losers[0])
    final = CollectiveContract.objects.get(pk=contract.pk)
    assert final.state == winners[0]
    assert str(S(final.state).label) in losers[0].message
    assert final.history.count() == history + 1


def test_two_sweeps_at_once_bring_the_contract_into_force_once():
    co = make_contract_org()
    contract = put_contract_in_state(
        S.FILED,
        keeper=co.keeper,
        supervisor=co.supervisor,
        org=co.org,
        on=date(2026, 3, 16),
    )
    history = contract.history.count()
    later = beijing(date(2026, 4, 2), 9)  # the review period ended on 31 March

    results = run_together([lambda: contracts_sweep(now=later), lambda: contracts_sweep(now=later)])

    assert all(ok for ok, _value in results), results
    forced = [pk for _ok, report in results for pk in report.came_into_force]
    assert forced == [contract.pk]
    final = CollectiveContract.objects.get(pk=contract.pk)
    assert final.state == S.IN_FORCE
    assert final.history.count() == history + 1
