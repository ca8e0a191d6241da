"""The lifecycle table against the state machine it describes: every transition method of the
contract has an entry and every entry is a transition method; and for every step, a role the
table does not list is refused through the door that role uses (a person: the service the page
calls; the system: the sweep)."""

from datetime import date, datetime

import pytest

from casework.core.errors import ActionRefused
from mediation.contracts.clocks import CLOCK_FIELDS
from mediation.contracts.models import CollectiveContract
from mediation.contracts.services.lifecycle import contract_transition, contracts_sweep
from mediation.contracts.transitions import (
    KEEPER,
    LIFECYCLE,
    ROLES,
    SOURCES,
    STAFF,
    SUPERVISOR,
    SYSTEM,
    TARGETS,
)
from tests.clock import BEIJING
from tests.contracts.builders import make_contract_org, put_contract_in_state

TODAY = date(2026, 3, 10)
pytestmark = pytest.mark.now(TODAY, hour=15)


@pytest.fixture
def co(db):
    return make_contract_org()


def transition_methods() -> set[str]:
    """The names of CollectiveContract's @transition methods, read from the class itself."""
    return {
        name
        for name in dir(CollectiveContract)
        if hasattr(getattr(CollectiveContract, name, None), "_django_fsm")
    }


def test_every_transition_method_has_an_entry_and_every_entry_is_a_transition():
    methods = transition_methods()
    assert methods, "no @transition method found on CollectiveContract"
    missing = methods - set(LIFECYCLE)
    assert not missing, f"transitions with no entry in the lifecycle table: {sorted(missing)}"
    unknown = set(LIFECYCLE) - methods
    assert not unknown, f"lifecycle entries that are not transitions: {sorted(unknown)}"
    for name in LIFECYCLE:
        assert SOURCES[name] and TARGETS[name], f"{name} leaves from or goes nowhere"


def test_every_entry_names_known_roles_and_clocks_and_a_button_has_a_person_to_press_it():
    for name, step in LIFECYCLE.items():
        assert step.roles and step.roles <= set(ROLES), f"{name}: roles {step.roles}"
        for key in (*step.starts, *step.stops, *step.resets):
            assert key in CLOCK_FIELDS, f"{name}: unknown clock {key}"
        if step.button:
            assert step.roles & STAFF, f"{name} is a button nobody may press"


# A person holding exactly one role on a platform contract of the district.
PEOPLE = {KEEPER: lambda co: co.keeper, SUPERVISOR: lambda co: co.supervisor}
REFUSED = [
    (name, role) for name, step in LIFECYCLE.items() for role in ROLES if role not in step.roles
]


def history_reasons(contract) -> list[str]:
    return list(
        contract.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )


@pytest.mark.parametrize(("name", "role"), REFUSED)
def test_a_role_not_in_the_table_is_refused(co, name, role):
    state = sorted(SOURCES[name])[0]
    contract = put_contract_in_state(state, keeper=co.keeper, supervisor=co.supervisor, org=co.org)
    before = history_reasons(contract)
    if role == SYSTEM:
        # The system's door is the sweep: with every period and term long over, it still
        # takes only the steps the table gives the system.
        contracts_sweep(now=datetime(2099, 1, 1, 12, tzinfo=BEIJING))
        swept = [reason.partition(":")[0] for reason in history_reasons(contract)[len(before) :]]
        assert name not in swept, f"the sweep took {name}, which the table keeps from it"
        assert set(swept) <= {n for n, s in LIFECYCLE.items() if SYSTEM in s.roles}, swept
        return
    person = PEOPLE[role](co)
    with pytest.raises(ActionRefused) as refused:
        contract_transition(
            actor=person,
            contract_id=contract.pk,
            name=name,
            expected_state=state,
            on=TODAY,
            opinion="审查意见：第三条需修改。",
        )
    after = CollectiveContract.objects.get(pk=contract.pk)
    assert after.state == state, f"a {role} could {name}: the contract is now {after.state}"
    assert history_reasons(after) == before, f"a refused {name} by a {role} wrote history"
    assert refused.value.message, f"a {role} was refused {name} without a word why"
