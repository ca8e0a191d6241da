"""Writes on a contract's lifecycle: the steps of its state machine (consultation, the congress
approval, signing, filing, the bureau's review, revision, expiry), renewal, and the sweep that
brings reviewed contracts into force and expires those past their term
(`manage.py sweep_contracts`).

Every step goes through one mechanism (steps.py: take_step), driven by the lifecycle table
(mediation/contracts/transitions.py): who may take it, what it needs, its clocks and the date it
records. Steps with logic of their own have a named service (contract_sign, contract_file,
contract_return_with_opinion); contract_transition is the door of the contract page's buttons.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused
from casework.core.system import system_user
from casework.organisation.models import User
from mediation.contracts.choices import VersionReason
from mediation.contracts.models import CollectiveContract, ContractClause, Representative
from mediation.contracts.rules import add_years
from mediation.contracts.services.records import check_expected_state, lock_contract
from mediation.contracts.services.steps import Move, lock_and_take_step, take_step
from mediation.contracts.services.terms import record_version
from mediation.contracts.transitions import (
    BUTTONS,
    CONCLUDED_STATES,
    LIFECYCLE,
    SOURCES,
    SWEPT,
    SYSTEM,
    Need,
)

# --- Steps with logic of their own -------------------------------------------------------


def contract_sign(
    *,
    actor: User,
    contract_id: int,
    on: date | None,
    reason: str = "",
    expected_state: str | None = None,
) -> CollectiveContract:
    """Record that both chiefs signed the approved contract on `on` (not in the future, not
    before the congress approved it).

    Changes: the state (signed), signed_on and the filing clock's due date, a history row.
    """

    def not_before_the_approval(contract: CollectiveContract, move: Move) -> list[str]:
        approved = (
            contract.votes.filter(passed=True)
            .order_by("-held_at")
            .values_list("held_at", flat=True)
            .first()
        )
        if approved and move.on < timezone.localdate(approved):
            raise ActionRefused(
                _("The contract cannot be signed before the congress approved it (%(day)s).")
                % {"day": f"{timezone.localdate(approved):%Y-%m-%d}"},
                field="on",
            )
        return []

    return lock_and_take_step(
        actor=actor,
        contract_id=contract_id,
        name="sign",
        expected_state=expected_state,
        on=on,
        note=reason,
        own=not_before_the_approval,
    )


def contract_file(
    *,
    actor: User,
    contract_id: int,
    on: date | None,
    reason: str = "",
    expected_state: str | None = None,
) -> CollectiveContract:
    """Record the day the bureau received the signed contract (not in the future, not before
    the signing).

    Changes: the state (filed), filed_on, which stops the filing clock and starts the review
    clock (its due date; a previous review day is cleared), a history row.
    """

    def not_before_the_signing(contract: CollectiveContract, move: Move) -> list[str]:
        if contract.signed_on and move.on < contract.signed_on:
            raise ActionRefused(
                _("The bureau cannot receive the contract before it was signed (%(day)s).")
                % {"day": f"{contract.signed_on:%Y-%m-%d}"},
                field="on",
            )
        return []

    return lock_and_take_step(
        actor=actor,
        contract_id=contract_id,
        name="file",
        expected_state=expected_state,
        on=on,
        note=reason,
        own=not_before_the_signing,
    )


def contract_return_with_opinion(
    *,
    actor: User,
    contract_id: int,
    opinion: str,
    reason: str = "",
    expected_state: str | None = None,
) -> CollectiveContract:
    """A supervisor returns the filed contract with the bureau's review opinion, within the
    review period (after it, the contract is in force by law).

    Changes: the state (returned), review_opinion, reviewed_on (the review clock stops), a
    history row whose reason is the note, else the opinion.
    """

    def keep_the_opinion(contract: CollectiveContract, move: Move) -> list[str]:
        contract.review_opinion = move.opinion
        return ["review_opinion"]

    return lock_and_take_step(
        actor=actor,
        contract_id=contract_id,
        name="return_with_opinion",
        expected_state=expected_state,
        opinion=opinion,
        note=(reason or "").strip() or (opinion or "").strip(),
        own=keep_the_opinion,
    )


_NAMED = {
    "sign": contract_sign,
    "file": contract_file,
    "return_with_opinion": contract_return_with_opinion,
}


# --- The door of the contract page -------------------------------------------------------


def contract_transition(
    *,
    actor: User,
    contract_id: int,
    name: str,
    expected_state: str | None = None,
    on: date | None = None,
    opinion: str = "",
    reason: str = "",
) -> CollectiveContract:
    """Take one of the contract page's steps (transitions.BUTTONS) by its name: the named
    service when the step has one, else the shared mechanism alone. `on` and `opinion` reach
    only the steps that need them.

    start_consulting (representatives complete) · sign (date; filing clock starts) · file
    (date of receipt; review clock starts) · accept_review / return_with_opinion (supervisors;
    within the review period) · revise (back to consultation) · expire (after the term).

    Changes: the state and the dates it records, a history row with the actor and reason.
    Raises ContractNotFound, ContractChanged (someone moved it first) or ActionRefused.
    """
    step = BUTTONS.get(name)
    if step is None:
        raise ActionRefused(_("Unknown action."))
    given = {"actor": actor, "contract_id": contract_id, "expected_state": expected_state}
    if step.needs_date:
        given["on"] = on
    if step.needs_opinion:
        given["opinion"] = opinion
    if name in _NAMED:
        return _NAMED[name](**given, reason=reason)
    return lock_and_take_step(**given, name=name, note=reason)


# --- Renewal -----------------------------------------------------------------------------


def contract_renew(
    *, actor: User, contract_id: int, expected_state: str | None = None
) -> CollectiveContract:
    """Start the renewal of a contract in force or expired: a new contract in drafting, linked
    to the old one (renewed_from), with the same scope, representatives and clauses, and a
    term of the same length from the day after the old one ends.

    Changes: the new contract, its representatives, clauses, history rows and version 1.
    """
    with transaction.atomic():
        old = lock_contract(actor=actor, contract_id=contract_id)
        check_expected_state(old, expected_state)
        if old.state not in CONCLUDED_STATES:
            raise ActionRefused(
                _("Only a contract in force or expired can be renewed; this one is “%(state)s”.")
                % {"state": old.state_label}
            )
        if CollectiveContract.objects.filter(renewed_from=old).exists():
            raise ActionRefused(_("This contract has already been renewed."))
        years = min(3, max(1, round((old.term_end - old.term_start).days / 365.25)))
        start = old.term_end + timedelta(days=1)
        new = CollectiveContract(
            created_by=actor,
            renewed_from=old,
            title=old.title,
            scope_kind=old.scope_kind,
            company=old.company,
            industry=old.industry,
            region=old.region,
            employer_party=old.employer_party,
            union_name=old.union_name,
            term_start=start,
            term_end=add_years(start, years) - timedelta(days=1),
        )
        new._history_user = actor
        new._change_reason = VersionReason.RENEWAL
        new.save()
        for person in old.representatives.all():
            copy = Representative(
                contract=new,
                side=person.side,
                name=person.name,
                organisation=person.organisation,
                position=person.position,
                is_chief=person.is_chief,
            )
            copy._history_user = actor
            copy.save()
        for clause in old.clauses.all():
            copy = ContractClause(
                contract=new,
                template_id=clause.template_id,
                values=dict(clause.values),
                own_chapter=clause.own_chapter,
                own_title=clause.own_title,
                own_text=clause.own_text,
                position=clause.position,
            )
            copy._history_user = actor
            copy.save()
        record_version(
            new,
            actor=actor,
            reason=VersionReason.RENEWAL,
            params={
                "title": old.title,
                "start": f"{old.term_start:%Y-%m-%d}",
                "end": f"{old.term_end:%Y-%m-%d}",
            },
        )
    return new


# --- The sweep ---------------------------------------------------------------------------

# The field whose last day must have passed, for each need a swept step may have.
_DUE_AFTER = {Need.REVIEW_OVER: "review_due_on", Need.TERM_OVER: "term_end"}


def _due(name: str, today: date) -> Q:
    """The contracts the sweep takes step `name` on: in a state it leaves from, its needs met."""
    due = Q(state__in=SOURCES[name])
    for need in LIFECYCLE[name].needs:
        due &= Q(**{f"{_DUE_AFTER[need]}__lt": today})
    return due


@dataclass
class SweepReport:
    # the contracts each swept step was taken on
    taken: dict[str, list[int]] = field(default_factory=lambda: {name: [] for name in SWEPT})
    skipped_locked: int = 0

    @property
    def came_into_force(self) -> list[int]:
        return self.taken["come_into_force"]

    @property
    def expired(self) -> list[int]:
        return self.taken["expire"]


def contracts_sweep(*, now: datetime | None = None) -> SweepReport:
    """Take every step the lifecycle table gives the system, in the table's order, on every
    contract due for it: into force the day after a review period that ended without an
    objection, expired the day after a term that is over.

    Idempotent and safe in several copies: each row is claimed with SKIP LOCKED and its state
    re-checked under the lock. History rows name the system user.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = SweepReport()
    actor = system_user()
    for name in SWEPT:
        due = _due(name, today)
        for pk in list(CollectiveContract.objects.filter(due).values_list("pk", flat=True)):
            with transaction.atomic():
                contract = (
                    CollectiveContract.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(due, pk=pk)
                    .first()
                )
                if contract is None:
                    report.skipped_locked += 1
                    continue
                take_step(contract, name, actor=actor, role=SYSTEM, move=Move(today=today))
                report.taken[name].append(pk)
    return report
