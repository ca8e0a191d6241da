"""The one mechanism every step of a contract's lifecycle goes through, driven by the lifecycle
table (mediation/contracts/transitions.py): who may take the step, what it needs, the clocks it
starts, stops and resets, the date it records. The steps' doors are in lifecycle.py (the named
services, the contract page's buttons, the sweep) and proceedings.py (the congress vote).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from casework.core.bounds import check_date_bounds
from casework.core.errors import ActionRefused
from casework.organisation.models import User
from mediation.contracts.access import contract_access
from mediation.contracts.clocks import CLOCK_FIELDS, due_date
from mediation.contracts.models import CollectiveContract
from mediation.contracts.rules import representative_problems
from mediation.contracts.services.records import (
    check_expected_state,
    check_not_in_future,
    lock_contract,
    save_contract,
)
from mediation.contracts.transitions import LIFECYCLE, STAFF, SUPERVISOR, Day, Need, Step, role_on


@dataclass(frozen=True)
class Move:
    """What the person gave for a step, and the day it is taken."""

    today: date
    on: date | None = None
    opinion: str = ""
    note: str = ""


def _cannot(contract: CollectiveContract) -> ActionRefused:
    return ActionRefused(
        _("This cannot be done while the contract is “%(state)s”.")
        % {"state": contract.state_label}
    )


def _check_role(step: Step, role: str | None) -> None:
    if role in step.roles:
        return
    if step.roles & STAFF == {SUPERVISOR}:
        raise ActionRefused(_("Only a supervisor records the bureau's review."))
    raise ActionRefused(_("You may not change this contract."))


def _check_needs(contract: CollectiveContract, step: Step, move: Move) -> None:
    """Refuse a need the contract or the move does not meet. PASSED_VOTE and REVIEW_OVER are
    met by the only doors that take those steps: vote_record takes approve_by_congress when the
    vote passed, and the sweep picks the contracts whose review period is over (_due)."""
    if Need.DATE in step.needs:
        if move.on is None:
            raise ActionRefused(_("Give the date."), field="on")
        check_not_in_future(move.on, "on")
    if Need.FULL_SIDES in step.needs:
        problems = representative_problems(contract.representatives.all())
        if problems:
            raise ActionRefused(" ".join(problems))
    if Need.OPINION in step.needs and not move.opinion:
        raise ActionRefused(_("Write the review opinion."), field="opinion")
    review_due = contract.review_due_on
    if Need.REVIEW_OPEN in step.needs and review_due and move.today > review_due:
        raise ActionRefused(
            _(
                "The review period ended on %(day)s without an objection: the "
                "contract is in force by law and can no longer be returned."
            )
            % {"day": f"{review_due:%Y-%m-%d}"}
        )
    if Need.TERM_OVER in step.needs and move.today <= contract.term_end:
        raise ActionRefused(
            _("The term runs until %(day)s.") % {"day": f"{contract.term_end:%Y-%m-%d}"}
        )


def _set_clocks(contract: CollectiveContract, step: Step, day: date) -> list[str]:
    changed = []
    for key in step.stops:
        fields = CLOCK_FIELDS[key]
        setattr(contract, fields.done, day)
        changed.append(fields.done)
    for key in step.starts:
        fields = CLOCK_FIELDS[key]
        setattr(contract, fields.started, day)
        setattr(contract, fields.due, due_date(key, day).day)
        setattr(contract, fields.done, None)
        changed += [fields.started, fields.due, fields.done]
    for key in step.resets:
        fields = CLOCK_FIELDS[key]
        setattr(contract, fields.started, None)
        setattr(contract, fields.due, None)
        changed += [fields.started, fields.due]
    return changed


def _stamp(contract: CollectiveContract, step: Step, move: Move) -> list[str]:
    if step.stamps is None:
        return []
    name, which = step.stamps
    if which == Day.TODAY:
        day = move.today
    elif which == Day.AFTER_REVIEW:
        day = contract.review_due_on + timedelta(days=1)
    else:
        day = contract.term_end + timedelta(days=1)
    setattr(contract, name, day)
    return [name]


OwnLogic = Callable[[CollectiveContract, Move], list[str]]


def take_step(
    contract: CollectiveContract,
    name: str,
    *,
    actor: User,
    role: str | None,
    move: Move,
    expected_state: str | None = None,
    own: OwnLogic | None = None,
) -> None:
    """Take step `name` of the lifecycle table on a contract the caller has locked.

    Refuses a role the table does not list for the step, a contract that changed since the
    actor saw it, a step its state does not allow, and a need not met; then runs the step's
    own logic (`own`, which returns the fields it changed), stops, starts and resets its
    clocks on the step's day (the date given, else today), records its date, transitions and
    saves with a history row: the actor and "<name>" or "<name>: <note>".
    """
    step = LIFECYCLE[name]
    _check_role(step, role)
    check_expected_state(contract, expected_state)
    method = getattr(contract, name)
    if not can_proceed(method, check_conditions=False):
        raise _cannot(contract)
    _check_needs(contract, step, move)
    changed = ["state"]
    if own is not None:
        changed += own(contract, move)
    changed += _set_clocks(contract, step, move.on if step.needs_date else move.today)
    changed += _stamp(contract, step, move)
    if not can_proceed(method):
        raise _cannot(contract)
    method()
    reason = f"{name}: {move.note}" if move.note else name
    save_contract(contract, actor=actor, reason=reason, fields=list(dict.fromkeys(changed)))


def lock_and_take_step(
    *,
    actor: User,
    contract_id: int,
    name: str,
    expected_state: str | None,
    on: date | None = None,
    opinion: str = "",
    note: str = "",
    own: OwnLogic | None = None,
) -> CollectiveContract:
    """Lock the contract and take the step as the role the actor holds on it."""
    check_date_bounds(on=on)
    move = Move(
        today=timezone.localdate(),
        on=on,
        opinion=(opinion or "").strip(),
        note=(note or "").strip(),
    )
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id, to_keep=False)
        role = role_on(contract_access(actor), contract)
        take_step(
            contract,
            name,
            actor=actor,
            role=role,
            move=move,
            expected_state=expected_state,
            own=own,
        )
    return contract
