"""The collective-contract procedure as the services enforce it: from which state each action
leaves, where it goes, who may take it, and what is written down.

The expected outcomes come from tables written out below (from the issue and DOMAIN.md), not
from the code under test.
"""

from datetime import date

import pytest
from django.db import transaction

from casework.core.errors import ActionRefused
from mediation.contracts.choices import ContractState
from mediation.contracts.models import CollectiveContract, ContractVersion
from mediation.contracts.rules import VoteCount
from mediation.contracts.services.errors import ContractChanged, ContractNotFound
from mediation.contracts.services.lifecycle import contract_renew, contract_transition
from mediation.contracts.services.proceedings import round_record, vote_record
from tests.contracts.builders import (
    TODAY,
    at,
    make_contract_org,
    put_contract_in_state,
)

S = ContractState
pytestmark = pytest.mark.now(TODAY, hour=15)
STATES = [s.value for s in S]

# Issue 6: drafting → consulting → congress_approved → signed → filed → in_force; filed →
# returned (with a review opinion) → consulting; in_force → expired.
MACHINE: dict[str, tuple[frozenset[str], str]] = {
    "start_consulting": (frozenset({"drafting"}), "consulting"),
    "sign": (frozenset({"congress_approved"}), "signed"),
    "file": (frozenset({"signed"}), "filed"),
    "accept_review": (frozenset({"filed"}), "in_force"),
    "return_with_opinion": (frozenset({"filed"}), "returned"),
    "revise": (frozenset({"returned"}), "consulting"),
    "expire": (frozenset({"in_force"}), "expired"),
}
# Bureau staff keep the records; only supervisors record the review.
KEEPERS = frozenset({"keeper", "supervisor", "admin"})
WHO: dict[str, frozenset[str]] = {
    "start_consulting": KEEPERS,
    "sign": KEEPERS,
    "file": KEEPERS,
    "accept_review": frozenset({"supervisor", "admin"}),
    "return_with_opinion": frozenset({"supervisor", "admin"}),
    "revise": KEEPERS,
    "expire": KEEPERS,
}
# Who may not even see a platform contract: their attempts answer "not found" (404).
OUTSIDERS = frozenset({"street_supervisor", "street_coordinator", "worker", "representative"})
ROLES = sorted(KEEPERS | OUTSIDERS)


@pytest.fixture
def co(db):
    return make_contract_org()


def actor_for(co, role):
    return {
        "keeper": co.keeper,
        "supervisor": co.supervisor,
        "admin": co.org.admin,
        "street_supervisor": co.street_supervisor,
        "street_coordinator": co.street_coordinator,
        "worker": co.worker,
        "representative": co.org.representative,
    }[role]


class _Rollback(Exception):
    pass


def attempt(call):
    """Run a service call and undo it, so that one contract serves every transition."""
    outcome = None
    try:
        with transaction.atomic():
            result = call()
            outcome = ("ok", result.state)
            raise _Rollback
    except _Rollback:
        return outcome
    except ContractNotFound:
        return ("not found", None)
    except ActionRefused as refusal:
        return ("refused", refusal.message)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_transition_matrix(co, state, role):
    # A term that ended in 2024, so that "expire" is possible once the contract is in force.
    contract = put_contract_in_state(
        state,
        keeper=co.keeper,
        supervisor=co.supervisor,
        org=co.org,
        term_start=date(2024, 1, 1),
        term_end=date(2024, 12, 31),
    )
    assert contract.state == state
    actor = actor_for(co, role)
    for name, (sources, target) in MACHINE.items():
        outcome = attempt(
            lambda name=name: contract_transition(
                actor=actor,
                contract_id=contract.pk,
                name=name,
                expected_state=state,
                on=TODAY,
                opinion="审查意见：第三条需修改。",
            )
        )
        if role in OUTSIDERS:
            expected = ("not found", None)
        elif state in sources and role in WHO[name]:
            expected = ("ok", target)
        else:
            assert outcome[0] == "refused", f"{role} could {name} from {state}: {outcome}"
            continue
        assert outcome == expected, f"{role} tried {name} from {state}: {outcome}"
    assert CollectiveContract.objects.get(pk=contract.pk).state == state


def test_congress_approval_and_auto_force_are_not_buttons(co):
    contract = put_contract_in_state(
        S.FILED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    for name in ("approve_by_congress", "come_into_force", "delete", "save"):
        with pytest.raises(ActionRefused):
            contract_transition(actor=co.org.admin, contract_id=contract.pk, name=name)
    assert CollectiveContract.objects.get(pk=contract.pk).state == S.FILED


def test_a_transition_records_who_why_and_the_dates(co):
    contract = put_contract_in_state(
        S.CONGRESS_APPROVED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    contract_transition(
        actor=co.keeper,
        contract_id=contract.pk,
        name="sign",
        expected_state=S.CONGRESS_APPROVED,
        on=TODAY,
        reason="双方首席代表签字",
    )
    contract.refresh_from_db()
    assert contract.state == S.SIGNED
    assert contract.signed_on == TODAY
    latest = contract.history.order_by("-history_id").first()
    assert latest.history_user == co.keeper
    assert latest.history_change_reason == "sign: 双方首席代表签字"
    assert latest.state == S.SIGNED


def test_a_replayed_post_is_told_the_current_state_and_changes_nothing(co):
    contract = put_contract_in_state(
        S.CONGRESS_APPROVED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    sign = dict(
        actor=co.keeper,
        contract_id=contract.pk,
        name="sign",
        expected_state=S.CONGRESS_APPROVED,
        on=TODAY,
    )
    contract_transition(**sign)
    rows = contract.history.count()
    with pytest.raises(ContractChanged) as changed:
        contract_transition(**sign)
    assert str(S.SIGNED.label) in changed.value.message
    assert contract.history.count() == rows


def test_returning_needs_a_review_opinion_and_revising_goes_back_to_consultation(co):
    contract = put_contract_in_state(
        S.FILED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    with pytest.raises(ActionRefused) as refused:
        contract_transition(
            actor=co.supervisor, contract_id=contract.pk, name="return_with_opinion", opinion=" "
        )
    assert refused.value.field == "opinion"
    contract_transition(
        actor=co.supervisor,
        contract_id=contract.pk,
        name="return_with_opinion",
        opinion="第五条抽成上限表述不清，请修改后重新报送。",
    )
    contract.refresh_from_db()
    assert contract.state == S.RETURNED
    assert contract.review_opinion == "第五条抽成上限表述不清，请修改后重新报送。"
    contract_transition(actor=co.keeper, contract_id=contract.pk, name="revise")
    contract.refresh_from_db()
    assert contract.state == S.CONSULTING
    # A new signing and filing start new clocks; the opinion stays for reference.
    assert contract.signed_on is None and contract.filed_on is None
    assert contract.review_opinion


def test_signing_needs_a_date_not_in_the_future_nor_before_the_vote(co):
    contract = put_contract_in_state(
        S.CONGRESS_APPROVED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    # the congress approved it this afternoon, 15 June
    for on, field in (
        (None, "on"),
        (date(2026, 6, 16), "on"),  # tomorrow
        (date(2026, 6, 10), "on"),  # before the vote
    ):
        with pytest.raises(ActionRefused) as refused:
            contract_transition(actor=co.keeper, contract_id=contract.pk, name="sign", on=on)
        assert refused.value.field == field
    assert CollectiveContract.objects.get(pk=contract.pk).state == S.CONGRESS_APPROVED


def test_filing_cannot_be_received_before_the_signing(co):
    contract = put_contract_in_state(
        S.SIGNED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    with pytest.raises(ActionRefused):
        contract_transition(
            actor=co.keeper,
            contract_id=contract.pk,
            name="file",
            on=date(2026, 6, 14),  # the day before it was signed
        )


def test_expiry_waits_for_the_end_of_the_term(co):
    contract = put_contract_in_state(
        S.IN_FORCE,
        keeper=co.keeper,
        supervisor=co.supervisor,
        org=co.org,
        term_start=date(2026, 1, 1),
        term_end=date(2028, 12, 31),
    )
    with pytest.raises(ActionRefused):
        contract_transition(actor=co.keeper, contract_id=contract.pk, name="expire")


def test_a_failed_vote_keeps_the_draft_in_consultation(co):
    contract = put_contract_in_state(
        S.CONSULTING, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    round_record(
        actor=co.keeper,
        contract_id=contract.pk,
        held_at=at(TODAY, 9),
        place="会议室",
        attendees="双方代表",
        minutes="纪要",
    )
    outcome = vote_record(
        actor=co.keeper,
        contract_id=contract.pk,
        count=VoteCount(members=90, attended=59, yes=50, no=5, abstain=4),
        held_at=at(TODAY, 9),
    )
    assert not outcome.passed
    assert CollectiveContract.objects.get(pk=contract.pk).state == S.CONSULTING


def test_renewal_opens_a_linked_draft_with_the_old_clauses_once(co):
    old = put_contract_in_state(S.EXPIRED, keeper=co.keeper, supervisor=co.supervisor, org=co.org)
    new = contract_renew(actor=co.keeper, contract_id=old.pk, expected_state=S.EXPIRED)
    assert new.state == S.DRAFTING
    assert new.renewed_from_id == old.pk
    assert (new.term_start, new.term_end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert [c.template.key for c in new.clauses.all()] == ["hourly-floor"]
    assert new.representatives.count() == 6
    assert ContractVersion.objects.filter(contract=new).count() == 1
    with pytest.raises(ActionRefused):
        contract_renew(actor=co.keeper, contract_id=old.pk)
    with pytest.raises(ActionRefused):
        contract_renew(actor=co.keeper, contract_id=new.pk)  # a draft cannot be renewed
    assert CollectiveContract.objects.get(pk=old.pk).state == S.EXPIRED
