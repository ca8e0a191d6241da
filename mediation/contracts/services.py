"""Writes on collective contracts: the key terms, representatives, rounds, clauses, the congress
vote, the state machine, renewal and the sweep that brings reviewed contracts into force.

Each call is one transaction that first locks the contract row (select_for_update), checks the
actor's rights on it, then writes the change with its history reason. A change of content
(terms or clauses) also writes a numbered ContractVersion with the full text. Nothing here
leaves the process except the PDF request, which the documents app queues on commit.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from casework.core.errors import ActionRefused
from casework.core.system import system_user
from casework.organisation.models import Unit, User
from mediation.contracts.access import contract_access, visible_contracts_q
from mediation.contracts.choices import (
    EDITABLE_STATES,
    ContractState,
    ScopeKind,
    Side,
    VersionReason,
)
from mediation.contracts.clocks import FILING, REPLY, REVIEW, due_date
from mediation.contracts.models import (
    ClauseTemplate,
    CollectiveContract,
    CongressVote,
    ConsultationRound,
    ContractClause,
    ContractVersion,
    Representative,
)
from mediation.contracts.parameters import clean_values
from mediation.contracts.rendering import contract_text
from mediation.contracts.rules import (
    ACTIONS,
    EDIT,
    SUPERVISE,
    SYSTEM,
    VoteCount,
    add_years,
    representative_problems,
    term_problem,
    vote_failure_reasons,
    vote_number_problems,
    vote_passes,
)
from platforms.choices import CompanyKind, Industry
from platforms.models import Company

S = ContractState


class ContractNotFound(Exception):
    """The contract does not exist or the actor may not see it: both answer 404."""


class ContractChanged(ActionRefused):
    """Someone else changed the contract since the actor loaded it."""


@dataclass
class ContractTerms:
    """The key terms of a contract, already parsed by a form."""

    title: str
    scope_kind: str
    term_start: date
    term_end: date
    union_name: str
    employer_party: str = ""
    company: Company | None = None
    industry: str = ""
    region: Unit | None = None
    request_on: date | None = None
    reply_on: date | None = None


@dataclass
class SweepReport:
    came_into_force: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    skipped_locked: int = 0


# --- Shared steps ------------------------------------------------------------------------


def _lock(*, actor: User, contract_id, need: str = EDIT) -> CollectiveContract:
    """The contract row, locked, if the actor may see it; refuses what `need` does not allow."""
    access = contract_access(actor)
    if not access.sees_any:
        raise ContractNotFound
    try:
        contract = (
            CollectiveContract.objects.select_for_update(of=("self",))
            .select_related("company", "region")
            .get(visible_contracts_q(access), pk=contract_id)
        )
    except (CollectiveContract.DoesNotExist, ValueError, TypeError) as exc:
        raise ContractNotFound from exc
    if need == SUPERVISE and not access.can_review(contract):
        raise ActionRefused(_("Only a supervisor records the bureau's review."))
    if need == EDIT and not access.can_keep(contract):
        raise ActionRefused(_("You may not change this contract."))
    return contract


def _check_expected(contract: CollectiveContract, expected_state: str | None) -> None:
    if expected_state and contract.state != expected_state:
        raise ContractChanged(
            _(
                "Someone changed this contract while you were looking at it: it is now "
                "“%(state)s”. Nothing was changed."
            )
            % {"state": contract.state_label}
        )


def _check_editable(contract: CollectiveContract) -> None:
    if contract.state not in EDITABLE_STATES:
        raise ActionRefused(
            _(
                "The content can change only while the contract is drafted or in consultation; "
                "it is now “%(state)s”."
            )
            % {"state": contract.state_label}
        )


def _save(contract: CollectiveContract, *, actor: User, reason: str, fields: list[str]) -> None:
    contract._history_user = actor
    contract._change_reason = reason[:100]
    contract.save(update_fields=[*fields, "updated_at"])


def _snapshot(
    contract: CollectiveContract, *, actor: User, reason: VersionReason, params: dict | None = None
) -> ContractVersion:
    """A new version when the full text differs from the latest one (else the latest). The
    reason is stored as its key and parameters, put into words in each reader's language."""
    clauses = list(contract.clauses.select_related("template"))
    text = contract_text(contract, clauses)
    latest = contract.versions.order_by("-number").first()
    if latest is not None and latest.text == text:
        return latest
    return ContractVersion.objects.create(
        contract=contract,
        number=(latest.number if latest else 0) + 1,
        text=text,
        reason_key=reason,
        reason_params=params or {},
        state=contract.state,
        created_by=actor,
    )


def _not_in_future(day: date | None, field_name: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ActionRefused(_("This date is in the future."), field=field_name)


# --- Key terms ---------------------------------------------------------------------------


def _clean_terms(terms: ContractTerms) -> ContractTerms:
    terms.title = (terms.title or "").strip()
    terms.union_name = (terms.union_name or "").strip()
    terms.employer_party = (terms.employer_party or "").strip()
    if not terms.title:
        raise ActionRefused(_("Give the contract a title."), field="title")
    if terms.scope_kind == ScopeKind.PLATFORM:
        if terms.company is None or terms.company.kind != CompanyKind.PLATFORM:
            raise ActionRefused(_("Choose the platform company."), field="company")
        terms.region = None
        terms.industry = terms.industry or terms.company.industry
        terms.employer_party = terms.employer_party or terms.company.name
    elif terms.scope_kind == ScopeKind.REGIONAL_INDUSTRY:
        if terms.region is None:
            raise ActionRefused(_("Choose the region."), field="region")
        if not terms.employer_party:
            raise ActionRefused(
                _("Name the employer side, e.g. the industry association."),
                field="employer_party",
            )
        terms.company = None
    else:
        raise ActionRefused(_("Choose what the contract covers."), field="scope_kind")
    if terms.industry not in Industry.values:
        raise ActionRefused(_("Choose the industry."), field="industry")
    if not terms.union_name:
        raise ActionRefused(
            _("Name the union that chooses the workers' representatives."), field="union_name"
        )
    problem = term_problem(terms.term_start, terms.term_end)
    if problem:
        raise ActionRefused(problem, field="term_end")
    _not_in_future(terms.request_on, "request_on")
    _not_in_future(terms.reply_on, "reply_on")
    if terms.reply_on and not terms.request_on:
        raise ActionRefused(_("Give the date of the written request first."), field="request_on")
    if terms.reply_on and terms.request_on and terms.reply_on < terms.request_on:
        raise ActionRefused(_("The reply cannot come before the request."), field="reply_on")
    return terms


def _check_within_reach(actor: User, terms: ContractTerms) -> None:
    """A contract the actor could not see afterwards is one they may not open or move there."""
    if contract_access(actor).sees(CollectiveContract(region=terms.region)):
        return
    if terms.scope_kind == ScopeKind.PLATFORM:
        raise ActionRefused(
            _("Platform contracts are kept by the district's offices."), field="scope_kind"
        )
    raise ActionRefused(_("That region is not one you oversee."), field="region")


TERM_FIELDS = [
    "title",
    "scope_kind",
    "company",
    "industry",
    "region",
    "employer_party",
    "union_name",
    "term_start",
    "term_end",
    "request_on",
    "reply_on",
]


def _apply_terms(contract: CollectiveContract, terms: ContractTerms) -> list[str]:
    """Copy the terms onto the contract; returns the fields that changed."""
    changed = []
    for name in TERM_FIELDS:
        if getattr(contract, name) != getattr(terms, name):
            setattr(contract, name, getattr(terms, name))
            changed.append(name)
    if "request_on" in changed or (contract.request_on and contract.reply_due_on is None):
        start = contract.request_on
        contract.reply_due_on = due_date(REPLY, start).day if start else None
        changed.append("reply_due_on")
    return changed


def contract_create(*, actor: User, terms: ContractTerms) -> CollectiveContract:
    """Open a contract in drafting.

    Changes: a CollectiveContract (reply clock due date if the request date is known), its
    first history row and version 1 of its text.
    """
    if not contract_access(actor).can_create:
        raise ActionRefused(_("Only the bureau's staff keep collective contracts."))
    terms = _clean_terms(terms)
    _check_within_reach(actor, terms)
    with transaction.atomic():
        contract = CollectiveContract(created_by=actor)
        _apply_terms(contract, terms)
        contract._history_user = actor
        contract._change_reason = VersionReason.OPENED
        contract.save()
        _snapshot(contract, actor=actor, reason=VersionReason.OPENED)
    return contract


def contract_update_terms(
    *, actor: User, contract_id: int, terms: ContractTerms, expected_state: str | None = None
) -> CollectiveContract:
    """Change the key terms while drafting or consulting.

    Changes: the contract's fields (and the reply due date when the request date moves), a
    history row and, when the text changed, a new version.
    """
    terms = _clean_terms(terms)
    with transaction.atomic():
        contract = _lock(actor=actor, contract_id=contract_id)
        _check_expected(contract, expected_state)
        _check_editable(contract)
        _check_within_reach(actor, terms)
        changed = _apply_terms(contract, terms)
        if not changed:
            return contract
        reason = VersionReason.TERMS_CHANGED
        _save(contract, actor=actor, reason=reason, fields=changed)
        _snapshot(contract, actor=actor, reason=reason)
    return contract


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
        contract = _lock(actor=actor, contract_id=contract_id)
        _check_editable(contract)
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
        contract = _lock(actor=actor, contract_id=contract_id)
        _check_editable(contract)
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
        contract = _lock(actor=actor, contract_id=contract_id)
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


# --- Clauses -----------------------------------------------------------------------------


def _clean_clause_values(template: ClauseTemplate, raw: dict) -> dict[str, str]:
    values, errors = clean_values(list(template.parameters), raw)
    if errors:
        name, message = next(iter(errors.items()))
        raise ActionRefused(message, field=name)
    return values


def _clause_params(template: ClauseTemplate) -> dict:
    return {"clause": template.title}


def clause_add(*, actor: User, contract_id: int, template_id: int, values: dict) -> ContractClause:
    """Add a clause from the library with its parameter values (each checked for type and
    range). Changes: a ContractClause (last in its chapter), history, a new version."""
    template = ClauseTemplate.objects.filter(pk=template_id, is_active=True).first()
    if template is None:
        raise ActionRefused(_("That clause is not in the library."), field="template")
    cleaned = _clean_clause_values(template, values)
    with transaction.atomic():
        contract = _lock(actor=actor, contract_id=contract_id)
        _check_editable(contract)
        if contract.clauses.filter(template=template).exists():
            raise ActionRefused(
                _("The contract already has the clause “%(title)s”: change it instead.")
                % {"title": template.title}
            )
        last = (
            contract.clauses.filter(template__chapter=template.chapter)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        clause = ContractClause(
            contract=contract, template=template, values=cleaned, position=(last or 0) + 1
        )
        clause._history_user = actor
        clause._change_reason = _("Added")
        try:
            with transaction.atomic():
                clause.save()
        except IntegrityError as exc:  # the same clause added twice at once
            raise ActionRefused(_("The contract already has this clause.")) from exc
        _snapshot(
            contract,
            actor=actor,
            reason=VersionReason.CLAUSE_ADDED,
            params=_clause_params(template),
        )
    return clause


def _lock_clause(contract: CollectiveContract, clause_id) -> ContractClause:
    clause = (
        ContractClause.objects.select_for_update(of=("self",))
        .select_related("template")
        .filter(contract=contract, pk=clause_id)
        .first()
    )
    if clause is None:
        raise ActionRefused(_("That clause is no longer in the contract."))
    return clause


def clause_update(*, actor: User, contract_id: int, clause_id: int, values: dict) -> ContractClause:
    """Change a clause's parameter values. Changes: the clause, history, a new version."""
    with transaction.atomic():
        contract = _lock(actor=actor, contract_id=contract_id)
        _check_editable(contract)
        clause = _lock_clause(contract, clause_id)
        cleaned = _clean_clause_values(clause.template, values)
        if cleaned == clause.values:
            return clause
        clause.values = cleaned
        clause._history_user = actor
        clause._change_reason = _("Values changed")
        clause.save(update_fields=["values"])
        _snapshot(
            contract,
            actor=actor,
            reason=VersionReason.CLAUSE_CHANGED,
            params=_clause_params(clause.template),
        )
    return clause


def clause_remove(*, actor: User, contract_id: int, clause_id: int) -> None:
    """Take a clause out. Changes: the clause goes (history keeps it), a new version."""
    with transaction.atomic():
        contract = _lock(actor=actor, contract_id=contract_id)
        _check_editable(contract)
        clause = _lock_clause(contract, clause_id)
        template = clause.template
        clause._history_user = actor
        clause._change_reason = _("Removed")
        clause.delete()
        _snapshot(
            contract,
            actor=actor,
            reason=VersionReason.CLAUSE_REMOVED,
            params=_clause_params(template),
        )


def clause_move(*, actor: User, contract_id: int, clause_id: int, direction: str) -> None:
    """Move a clause up or down within its chapter. Changes: two positions, a new version."""
    if direction not in ("up", "down"):
        raise ActionRefused(_("Unknown direction."))
    with transaction.atomic():
        contract = _lock(actor=actor, contract_id=contract_id)
        _check_editable(contract)
        clause = _lock_clause(contract, clause_id)
        siblings = list(
            ContractClause.objects.select_for_update()
            .filter(contract=contract, template__chapter=clause.template.chapter)
            .order_by("position", "pk")
        )
        index = next(i for i, c in enumerate(siblings) if c.pk == clause.pk)
        other_index = index - 1 if direction == "up" else index + 1
        if not 0 <= other_index < len(siblings):
            return
        siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                sibling.position = position
                sibling._history_user = actor
                sibling._change_reason = _("Moved")
                sibling.save(update_fields=["position"])
        _snapshot(
            contract,
            actor=actor,
            reason=VersionReason.CLAUSE_MOVED,
            params=_clause_params(clause.template),
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
    """Record the workers' congress vote on the current text. When at least two thirds of the
    members attended and more than half of all members voted yes, the contract moves to
    "approved by the workers' congress".

    Changes: a CongressVote tied to the latest version; on a pass, the state and a history row.
    """
    problems = vote_number_problems(count)
    if problems:
        name, message = next(iter(problems.items()))
        raise ActionRefused(message, field=name)
    if held_at > timezone.now() + timedelta(minutes=5):
        raise ActionRefused(_("Record the vote after it has been held."), field="held_at")
    with transaction.atomic():
        contract = _lock(actor=actor, contract_id=contract_id)
        _check_expected(contract, expected_state)
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
            contract.approve_by_congress()
            _save(
                contract,
                actor=actor,
                reason=f"approve_by_congress: {count.attended}/{count.members}, {count.yes}+",
                fields=["state"],
            )
    return VoteOutcome(vote, passed, [] if passed else vote_failure_reasons(count))


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
        contract = _lock(actor=actor, contract_id=contract_id, need=action.who)
        _check_expected(contract, expected_state)
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
            _not_in_future(on, "on")
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
        _save(contract, actor=actor, reason=f"{name}: {reason}" if reason else name, fields=changed)
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
        old = _lock(actor=actor, contract_id=contract_id)
        _check_expected(old, expected_state)
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
        _snapshot(
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
            _save(
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
            _save(
                contract,
                actor=actor,
                reason="expire",
                fields=["state", "expired_on"],
            )
            report.expired.append(pk)
    return report


# --- Documents ---------------------------------------------------------------------------


def contract_request_document(*, actor: User, contract_id: int):
    """Ask the documents pipeline for the contract's PDF (rendered off the request path).

    Changes: a Document row in the documents app, its rendering queued on commit.
    """
    try:
        from mediation.documents.services import document_request
    except ImportError as exc:
        raise ActionRefused(_("PDF documents are not available yet.")) from exc
    with transaction.atomic():
        contract = _lock(actor=actor, contract_id=contract_id)
        return document_request(actor=actor, subject=contract, kind_key="collective_contract")
