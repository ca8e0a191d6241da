"""Writes on a contract's text: its key terms, its clauses, the numbered versions every change
of content writes, and the request for its PDF.

Content changes only while the sides still negotiate (drafting or consultation). A change of
terms or clauses writes a ContractVersion with the full text when the text differs from the
latest version. Nothing here leaves the process except the PDF request, which the documents
app queues on commit.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from casework.core.bounds import check_date_bounds
from casework.core.errors import ActionRefused
from casework.organisation.models import Unit, User
from mediation.contracts.access import contract_access
from mediation.contracts.choices import ScopeKind, VersionReason
from mediation.contracts.clocks import REPLY, due_date
from mediation.contracts.documents import KIND_KEY
from mediation.contracts.models import (
    ClauseTemplate,
    CollectiveContract,
    ContractClause,
    ContractVersion,
)
from mediation.contracts.parameters import clean_values
from mediation.contracts.rendering import contract_text
from mediation.contracts.rules import term_problem
from mediation.contracts.services.records import (
    check_editable,
    check_expected_state,
    check_not_in_future,
    lock_contract,
    save_contract,
)
from mediation.documents.services import document_request
from platforms.choices import CompanyKind, Industry
from platforms.models import Company


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


# --- Versions ----------------------------------------------------------------------------


def record_version(
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


# --- Key terms ---------------------------------------------------------------------------


def _clean_terms(terms: ContractTerms) -> ContractTerms:
    check_date_bounds(
        term_start=terms.term_start,
        term_end=terms.term_end,
        request_on=terms.request_on,
        reply_on=terms.reply_on,
    )
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
    check_not_in_future(terms.request_on, "request_on")
    check_not_in_future(terms.reply_on, "reply_on")
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
        record_version(contract, actor=actor, reason=VersionReason.OPENED)
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
        contract = lock_contract(actor=actor, contract_id=contract_id)
        check_expected_state(contract, expected_state)
        check_editable(contract)
        _check_within_reach(actor, terms)
        changed = _apply_terms(contract, terms)
        if not changed:
            return contract
        reason = VersionReason.TERMS_CHANGED
        save_contract(contract, actor=actor, reason=reason, fields=changed)
        record_version(contract, actor=actor, reason=reason)
    return contract


# --- Clauses -----------------------------------------------------------------------------


def _clean_clause_values(template: ClauseTemplate, raw: dict) -> dict[str, str]:
    values, errors = clean_values(list(template.parameters), raw)
    if errors:
        name, message = next(iter(errors.items()))
        raise ActionRefused(message, field=name)
    return values


def _clause_params(clause_or_template) -> dict:
    return {"clause": clause_or_template.title}


def in_chapter(chapter: str) -> Q:
    """The clauses of one chapter: library clauses by their template's, own ones by their own."""
    return Q(template__isnull=False, template__chapter=chapter) | Q(
        template__isnull=True, own_chapter=chapter
    )


def next_position(contract: CollectiveContract, chapter: str) -> int:
    last = (
        contract.clauses.filter(in_chapter(chapter))
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return (last or 0) + 1


def clause_add(*, actor: User, contract_id: int, template_id: int, values: dict) -> ContractClause:
    """Add a clause from the library with its parameter values (each checked for type and
    range). Changes: a ContractClause (last in its chapter), history, a new version."""
    template = ClauseTemplate.objects.filter(pk=template_id, is_active=True).first()
    if template is None:
        raise ActionRefused(_("That clause is not in the library."), field="template")
    cleaned = _clean_clause_values(template, values)
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id)
        check_editable(contract)
        if contract.clauses.filter(template=template).exists():
            raise ActionRefused(
                _("The contract already has the clause “%(title)s”: change it instead.")
                % {"title": template.title}
            )
        clause = ContractClause(
            contract=contract,
            template=template,
            values=cleaned,
            position=next_position(contract, template.chapter),
        )
        clause._history_user = actor
        clause._change_reason = _("Added")
        try:
            with transaction.atomic():
                clause.save()
        except IntegrityError as exc:  # the same clause added twice at once
            raise ActionRefused(_("The contract already has this clause.")) from exc
        record_version(
            contract,
            actor=actor,
            reason=VersionReason.CLAUSE_ADDED,
            params=_clause_params(template),
        )
    return clause


def lock_clause(contract: CollectiveContract, clause_id) -> ContractClause:
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
        contract = lock_contract(actor=actor, contract_id=contract_id)
        check_editable(contract)
        clause = lock_clause(contract, clause_id)
        if clause.is_own:
            raise ActionRefused(_("This clause has no figures: change its text instead."))
        cleaned = _clean_clause_values(clause.template, values)
        if cleaned == clause.values:
            return clause
        clause.values = cleaned
        clause._history_user = actor
        clause._change_reason = _("Values changed")
        clause.save(update_fields=["values"])
        record_version(
            contract,
            actor=actor,
            reason=VersionReason.CLAUSE_CHANGED,
            params=_clause_params(clause),
        )
    return clause


def clause_remove(*, actor: User, contract_id: int, clause_id: int) -> None:
    """Take a clause out. Changes: the clause goes (history keeps it), a new version."""
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id)
        check_editable(contract)
        clause = lock_clause(contract, clause_id)
        title = clause.title
        clause._history_user = actor
        clause._change_reason = _("Removed")
        clause.delete()
        record_version(
            contract,
            actor=actor,
            reason=VersionReason.CLAUSE_REMOVED,
            params={"clause": title},
        )


def clause_move(*, actor: User, contract_id: int, clause_id: int, direction: str) -> None:
    """Move a clause up or down within its chapter. Changes: two positions, a new version."""
    if direction not in ("up", "down"):
        raise ActionRefused(_("Unknown direction."))
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id)
        check_editable(contract)
        clause = lock_clause(contract, clause_id)
        siblings = list(
            ContractClause.objects.select_for_update(of=("self",))
            .filter(in_chapter(clause.chapter), contract=contract)
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
        record_version(
            contract,
            actor=actor,
            reason=VersionReason.CLAUSE_MOVED,
            params=_clause_params(clause),
        )


# --- The PDF -----------------------------------------------------------------------------


def contract_request_document(*, actor: User, contract_id: int):
    """Ask the documents pipeline for the contract's PDF (rendered off the request path).

    Changes: a Document row in the documents app, its rendering queued on commit.
    """
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id)
        return document_request(actor=actor, subject=contract, kind_key=KIND_KEY)
