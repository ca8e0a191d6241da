"""Writes on a contract's lifecycle: the state machine (consultation, signing, filing, the
bureau's review, revision, expiry), renewal, and the sweep that brings reviewed contracts into
force and expires those past their term (`manage.py sweep_contracts`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from casework.models import User
from casework.services.clocks import system_user
from casework.services.errors import ActionRefused
from mediation.contracts.choices import ContractState, VersionReason
from mediation.contracts.clocks import FILING, REVIEW, due_date
from mediation.contracts.models import CollectiveContract, ContractClause, Representative
from mediation.contracts.rules import ACTIONS, SYSTEM, add_years, representative_problems
from mediation.contracts.services.records import (
    check_expected_state,
    check_not_in_future,
    lock_contract,
    save_contract,
)
from mediation.contracts.services.terms import record_version

S = ContractState


@dataclass
class SweepReport:
    came_into_force: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    skipped_locked: int = 0


# --- The state machine -------------------------------------------------------------------


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
    """Move a contract along its procedure (see rules.ACTIONS for who may do what).

    start_consulting (representatives complete) · sign (date; filing clock starts) · file
    (date of receipt; review clock starts) · accept_review / return_with_opinion (supervisors;
    within the review period) · revise (back to consultation) · expire (after the term).

    Changes: the state and the dates it records, a history row with the actor and reason.
    Raises ContractNotFound, ContractChanged (someone moved it first) or ActionRefused.
    """
    action = ACTIONS.get(name)
    if action is None or action.who == SYSTEM:
        raise ActionRefused(_("Unknown action."))
    opinion, reason = (opinion or "").strip(), (reason or "").strip()
    today = timezone.localdate()
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id, need=action.who)
        check_expected_state(contract, expected_state)
        method = getattr(contract, name)
        if not can_proceed(method, check_conditions=False):
            raise ActionRefused(
                _("This cannot be done while the contract is “%(state)s”.")
                % {"state": contract.state_label}
            )
        changed = ["state"]
        if action.needs_date:
            if on is None:
                raise ActionRefused(_("Give the date."), field="on")
            check_not_in_future(on, "on")
        if name == "start_consulting":
            problems = representative_problems(contract.representatives.all())
            if problems:
                raise ActionRefused(" ".join(problems))
        elif name == "sign":
            approved = (
                contract.votes.filter(passed=True)
                .order_by("-held_at")
                .values_list("held_at", flat=True)
                .first()
            )
            if approved and on < timezone.localdate(approved):
                raise ActionRefused(
                    _("The contract cannot be signed before the congress approved it (%(day)s).")
                    % {"day": f"{timezone.localdate(approved):%Y-%m-%d}"},
                    field="on",
                )
            contract.signed_on = on
            contract.filing_due_on = due_date(FILING, on).day
            changed += ["signed_on", "filing_due_on"]
        elif name == "file":
            if contract.signed_on and on < contract.signed_on:
                raise ActionRefused(
                    _("The bureau cannot receive the contract before it was signed (%(day)s).")
                    % {"day": f"{contract.signed_on:%Y-%m-%d}"},
                    field="on",
                )
            contract.filed_on = on
            contract.review_due_on = due_date(REVIEW, on).day
            contract.reviewed_on = None
            changed += ["filed_on", "review_due_on", "reviewed_on"]
        elif name in ("accept_review", "return_with_opinion"):
            if name == "return_with_opinion":
                if not opinion:
                    raise ActionRefused(_("Write the review opinion."), field="opinion")
                if contract.review_due_on and today > contract.review_due_on:
                    raise ActionRefused(
                        _(
                            "The review period ended on %(day)s without an objection: the "
                            "contract is in force by law and can no longer be returned."
                        )
                        % {"day": f"{contract.review_due_on:%Y-%m-%d}"}
                    )
                contract.review_opinion = opinion
                changed.append("review_opinion")
                reason = reason or opinion
            else:
                contract.in_force_on = today
                changed.append("in_force_on")
            contract.reviewed_on = today
            changed.append("reviewed_on")
        elif name == "revise":
            contract.signed_on = contract.filing_due_on = None
            contract.filed_on = contract.review_due_on = None
            changed += ["signed_on", "filing_due_on", "filed_on", "review_due_on"]
        elif name == "expire":
            if today <= contract.term_end:
                raise ActionRefused(
                    _("The term runs until %(day)s.") % {"day": f"{contract.term_end:%Y-%m-%d}"}
                )
            contract.expired_on = contract.term_end + timedelta(days=1)
            changed.append("expired_on")
        if not can_proceed(method):
            raise ActionRefused(
                _("This cannot be done while the contract is “%(state)s”.")
                % {"state": contract.state_label}
            )
        method()
        save_contract(
            contract, actor=actor, reason=f"{name}: {reason}" if reason else name, fields=changed
        )
    return contract


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
        if old.state not in (S.IN_FORCE, S.EXPIRED):
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


def contracts_sweep(*, now: datetime | None = None) -> SweepReport:
    """Bring into force every filed contract whose review period ended without an objection
    (in force from the day after), and expire contracts in force whose term is over.

    Idempotent and safe in several copies: each row is claimed with SKIP LOCKED and its state
    re-checked under the lock. History rows name the system user.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = SweepReport()
    actor = system_user()
    due_ids = list(
        CollectiveContract.objects.filter(state=S.FILED, review_due_on__lt=today).values_list(
            "pk", flat=True
        )
    )
    for pk in due_ids:
        with transaction.atomic():
            contract = (
                CollectiveContract.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, state=S.FILED, review_due_on__lt=today)
                .first()
            )
            if contract is None:
                report.skipped_locked += 1
                continue
            contract.come_into_force()
            contract.in_force_on = contract.review_due_on + timedelta(days=1)
            save_contract(
                contract,
                actor=actor,
                reason="come_into_force",
                fields=["state", "in_force_on"],
            )
            report.came_into_force.append(pk)
    over_ids = list(
        CollectiveContract.objects.filter(state=S.IN_FORCE, term_end__lt=today).values_list(
            "pk", flat=True
        )
    )
    for pk in over_ids:
        with transaction.atomic():
            contract = (
                CollectiveContract.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, state=S.IN_FORCE, term_end__lt=today)
                .first()
            )
            if contract is None:
                report.skipped_locked += 1
                continue
            contract.expire()
            contract.expired_on = contract.term_end + timedelta(days=1)
            save_contract(
                contract,
                actor=actor,
                reason="expire",
                fields=["state", "expired_on"],
            )
            report.expired.append(pk)
    return report
