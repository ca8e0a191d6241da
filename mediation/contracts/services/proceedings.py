"""Writes on a contract's proceedings: the representatives of both sides, the consultation
rounds with their minutes, and the workers' congress vote on the current text.

Representatives change while the text may (drafting or consultation); rounds and the vote
belong to consultation. A passed vote moves the contract on (approve_by_congress).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.core.bounds import check_date_bounds
from casework.core.errors import ActionRefused
from casework.organisation.models import User
from mediation.contracts.access import contract_access
from mediation.contracts.choices import ContractState, Side
from mediation.contracts.models import (
    CollectiveContract,
    CongressVote,
    ConsultationRound,
    Representative,
)
from mediation.contracts.rules import (
    VoteCount,
    representative_problems,
    vote_failure_reasons,
    vote_number_problems,
    vote_passes,
)
from mediation.contracts.services.records import (
    check_editable,
    check_expected_state,
    lock_contract,
)
from mediation.contracts.services.steps import Move, take_step
from mediation.contracts.transitions import role_on

S = ContractState


# --- Representatives and rounds ----------------------------------------------------------


def representative_add(
    *,
    actor: User,
    contract_id: int,
    side: str,
    name: str,
    organisation: str,
    position: str = "",
    is_chief: bool = False,
) -> Representative:
    """Add a representative. A new chief replaces the side's previous chief (who stays a
    representative). Changes: Representative rows and their history."""
    name, organisation = (name or "").strip(), (organisation or "").strip()
    if side not in Side.values:
        raise ActionRefused(_("Choose a side."), field="side")
    if not name:
        raise ActionRefused(_("Give the representative's name."), field="name")
    if not organisation:
        raise ActionRefused(_("Give the representative's organisation."), field="organisation")
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id)
        check_editable(contract)
        if is_chief:
            for previous in contract.representatives.filter(side=side, is_chief=True):
                previous.is_chief = False
                previous._history_user = actor
                previous._change_reason = _("Replaced as chief")
                previous.save(update_fields=["is_chief"])
        person = Representative(
            contract=contract,
            side=side,
            name=name,
            organisation=organisation,
            position=(position or "").strip(),
            is_chief=is_chief,
        )
        person._history_user = actor
        person._change_reason = _("Added")
        person.save()
    return person


def representative_remove(*, actor: User, contract_id: int, representative_id: int) -> None:
    """Remove a representative. Changes: the row goes; its history keeps who removed it."""
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id)
        check_editable(contract)
        person = contract.representatives.filter(pk=representative_id).first()
        if person is None:
            raise ActionRefused(_("That representative is no longer on the list."))
        person._history_user = actor
        person._change_reason = _("Removed")
        person.delete()


def round_record(
    *,
    actor: User,
    contract_id: int,
    held_at: datetime,
    place: str,
    attendees: str,
    minutes: str,
) -> ConsultationRound:
    """Record a consultation round with its minutes (consultation only).

    Changes: a ConsultationRound numbered after the last one.
    """
    check_date_bounds(held_at=held_at)
    place, attendees = (place or "").strip(), (attendees or "").strip()
    minutes = (minutes or "").strip()
    if not minutes:
        raise ActionRefused(_("The minutes are empty."), field="minutes")
    if not attendees:
        raise ActionRefused(_("List who attended."), field="attendees")
    if not place:
        raise ActionRefused(_("Say where the round was held."), field="place")
    if held_at > timezone.now() + timedelta(minutes=5):
        raise ActionRefused(_("Record a round after it has been held."), field="held_at")
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id)
        if contract.state != S.CONSULTING:
            raise ActionRefused(
                _("Rounds are recorded during consultation; the contract is “%(state)s”.")
                % {"state": contract.state_label}
            )
        last = contract.rounds.order_by("-number").values_list("number", flat=True).first()
        return ConsultationRound.objects.create(
            contract=contract,
            number=(last or 0) + 1,
            held_at=held_at,
            place=place,
            attendees=attendees,
            minutes=minutes,
            recorded_by=actor,
        )


# --- The workers' congress ---------------------------------------------------------------


def _ready_for_congress(contract: CollectiveContract) -> None:
    problems = representative_problems(contract.representatives.all())
    if not contract.rounds.exists():
        problems.append(_("Record at least one consultation round with its minutes."))
    if not contract.clauses.exists():
        problems.append(_("The draft has no clauses yet."))
    if problems:
        raise ActionRefused(_("Not ready for the congress: ") + " ".join(problems))


@dataclass(frozen=True)
class VoteOutcome:
    vote: CongressVote
    passed: bool
    reasons: list[str]


def vote_record(
    *,
    actor: User,
    contract_id: int,
    count: VoteCount,
    held_at: datetime,
    expected_state: str | None = None,
) -> VoteOutcome:
    """Record the workers' congress vote on the current text. When two thirds of the members
    or more attended and half of all members or more voted yes, the contract moves to
    "approved by the workers' congress".

    Changes: a CongressVote tied to the latest version; on a pass, the state and a history row.
    """
    check_date_bounds(held_at=held_at)
    problems = vote_number_problems(count)
    if problems:
        name, message = next(iter(problems.items()))
        raise ActionRefused(message, field=name)
    if held_at > timezone.now() + timedelta(minutes=5):
        raise ActionRefused(_("Record the vote after it has been held."), field="held_at")
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id)
        check_expected_state(contract, expected_state)
        if contract.state != S.CONSULTING:
            raise ActionRefused(
                _("The congress votes on a draft in consultation; the contract is “%(state)s”.")
                % {"state": contract.state_label}
            )
        _ready_for_congress(contract)
        passed = vote_passes(count)
        vote = CongressVote.objects.create(
            contract=contract,
            version=contract.versions.order_by("-number").first(),
            held_at=held_at,
            members=count.members,
            attended=count.attended,
            yes=count.yes,
            no=count.no,
            abstain=count.abstain,
            passed=passed,
            recorded_by=actor,
        )
        if passed:
            take_step(
                contract,
                "approve_by_congress",
                actor=actor,
                role=role_on(contract_access(actor), contract),
                move=Move(
                    today=timezone.localdate(),
                    note=f"{count.attended}/{count.members}, {count.yes}+",
                ),
            )
    return VoteOutcome(vote, passed, [] if passed else vote_failure_reasons(count))
