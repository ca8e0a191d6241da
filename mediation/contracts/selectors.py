"""Reads of collective contracts for pages. Every function takes the user and sees only what
the user may (mediation/contracts/access.py); a contract they may not see raises
ContractNotFound, which views answer with 404."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import FETCH_PEERS, Count, Prefetch, Q
from django.utils import timezone
from django_fsm import can_proceed

from casework.organisation.models import User
from mediation.contracts.access import ContractAccess, contract_access, visible_contracts_q
from mediation.contracts.choices import EDITABLE_STATES, Chapter, ContractState, Side, VersionReason
from mediation.contracts.clocks import ClockRow, clock_rows, rules_by_key
from mediation.contracts.diffing import VersionDiff, diff_texts
from mediation.contracts.documents import KIND_KEY, pdf_available
from mediation.contracts.models import (
    ClauseTemplate,
    CollectiveContract,
    CongressVote,
    ConsultationRound,
    ContractClause,
    ContractVersion,
    Representative,
)
from mediation.contracts.rendering import (
    RenderedChapter,
    context_values,
    fill_clause,
    render_chapters,
)
from mediation.contracts.rules import VoteCount, representative_problems, vote_failure_reasons
from mediation.contracts.services.errors import ContractNotFound
from mediation.contracts.transitions import (
    BUTTONS,
    CONCLUDED_STATES,
    LIFECYCLE,
    Need,
    Step,
    role_on,
)
from mediation.documents.selectors import documents_for_subject

S = ContractState
LIST_LIMIT = 200


def _visible(user: User) -> tuple[ContractAccess, object]:
    access = contract_access(user)
    if not access.sees_any:
        raise ContractNotFound
    return access, CollectiveContract.objects.filter(visible_contracts_q(access))


def contract_staff_check(*, user: User) -> ContractAccess:
    """The user's access, if they keep any contract at all (else ContractNotFound: 404)."""
    return _visible(user)[0]


def contract_list(*, user: User, state: str = "", q: str = "") -> list[CollectiveContract]:
    """The contracts the user keeps, newest first, with their clause and round counts."""
    _access, contracts = _visible(user)
    if state in S.values:
        contracts = contracts.filter(state=state)
    if term := (q or "").strip()[:50]:
        contracts = contracts.filter(
            Q(title__icontains=term)
            | Q(employer_party__icontains=term)
            | Q(company__name__icontains=term)
            | Q(company__short_name__icontains=term)
        )
    return list(
        contracts.select_related("company", "region")
        .annotate(
            clause_count=Count("clauses", distinct=True),
            round_count=Count("rounds", distinct=True),
        )
        .fetch_mode(FETCH_PEERS)
        .order_by("-created_at", "-pk")[:LIST_LIMIT]
    )


@dataclass
class VoteRow:
    vote: CongressVote
    reasons: list[str]


@dataclass
class ContractView:
    """Everything the contract page shows, loaded in a fixed number of queries."""

    contract: CollectiveContract
    workers: list[Representative]
    employer: list[Representative]
    representative_problems: list[str]
    rounds: list[ConsultationRound]
    chapters: list[RenderedChapter]
    clause_count: int
    votes: list[VoteRow]
    versions: list[ContractVersion]
    clocks: list[ClockRow]
    actions: list[tuple[str, Step]]
    can_keep: bool
    can_edit_content: bool
    can_record_round: bool
    can_vote: bool
    can_renew: bool
    renewal: CollectiveContract | None
    today: date = field(default_factory=timezone.localdate)

    @property
    def sides(self) -> list[tuple[str, list[Representative]]]:
        return [(Side.WORKERS.label, self.workers), (Side.EMPLOYER.label, self.employer)]

    @property
    def open_representative_problems(self) -> list[str]:
        """The problems, while they can still be fixed."""
        return self.representative_problems if self.contract.state in EDITABLE_STATES else []


def contract_get_for_user(*, user: User, contract_id) -> ContractView:
    access, contracts = _visible(user)
    try:
        contract = (
            contracts.select_related("company", "region", "renewed_from", "created_by")
            .prefetch_related(
                Prefetch(
                    "representatives",
                    queryset=Representative.objects.order_by("-is_chief", "pk"),
                ),
                Prefetch(
                    "rounds", queryset=ConsultationRound.objects.select_related("recorded_by")
                ),
                Prefetch("clauses", queryset=ContractClause.objects.select_related("template")),
                Prefetch(
                    "votes",
                    queryset=CongressVote.objects.select_related("recorded_by", "version"),
                ),
                Prefetch(
                    "versions",
                    queryset=ContractVersion.objects.select_related("created_by")
                    .defer("text")
                    .order_by("-number"),
                ),
            )
            .get(pk=contract_id)
        )
    except (CollectiveContract.DoesNotExist, ValueError, TypeError) as exc:
        raise ContractNotFound from exc
    renewal = (
        CollectiveContract.objects.filter(renewed_from=contract)
        .only("pk", "title", "state")
        .first()
    )
    people = list(contract.representatives.all())
    can_keep = access.can_keep(contract)
    role = role_on(access, contract)
    term_over = timezone.localdate() > contract.term_end
    actions = [
        (name, step)
        for name, step in BUTTONS.items()
        if role in step.roles
        and can_proceed(getattr(contract, name), check_conditions=False)
        and (term_over or Need.TERM_OVER not in step.needs)
    ]
    votes = [
        VoteRow(
            vote,
            []
            if vote.passed
            else vote_failure_reasons(
                VoteCount(vote.members, vote.attended, vote.yes, vote.no, vote.abstain)
            ),
        )
        for vote in contract.votes.all()
    ]
    clauses = list(contract.clauses.all())
    return ContractView(
        contract=contract,
        workers=[p for p in people if p.side == Side.WORKERS],
        employer=[p for p in people if p.side == Side.EMPLOYER],
        representative_problems=representative_problems(people),
        rounds=list(contract.rounds.all()),
        chapters=render_chapters(contract, clauses),
        clause_count=len(clauses),
        votes=votes,
        versions=list(contract.versions.all()),
        clocks=clock_rows(contract, rules_by_key()),
        actions=actions,
        can_keep=can_keep,
        can_edit_content=can_keep and contract.state in EDITABLE_STATES,
        can_record_round=can_keep and contract.state == S.CONSULTING,
        can_vote=can_keep and contract.state == S.CONSULTING,
        can_renew=can_keep and contract.state in CONCLUDED_STATES and renewal is None,
        renewal=renewal,
    )


def contract_get_plain(*, user: User, contract_id) -> CollectiveContract:
    """One contract without its parts (for forms)."""
    _access, contracts = _visible(user)
    try:
        return contracts.select_related("company", "region").get(pk=contract_id)
    except (CollectiveContract.DoesNotExist, ValueError, TypeError) as exc:
        raise ContractNotFound from exc


def clause_get_for_user(*, user: User, contract_id, clause_id) -> ContractClause:
    contract = contract_get_plain(user=user, contract_id=contract_id)
    try:
        clause = ContractClause.objects.select_related("template").get(
            contract=contract, pk=clause_id
        )
    except (ContractClause.DoesNotExist, ValueError, TypeError) as exc:
        raise ContractNotFound from exc
    clause.contract = contract
    return clause


def clause_library(
    *, user: User, contract: CollectiveContract
) -> list[tuple[str, list[ClauseTemplate]]]:
    """The active clause templates by chapter, in chapter order; each says whether the
    contract already has it (`in_contract`) and how it would read there (`preview`: the
    contract's names and the default figures)."""
    _visible(user)
    used = set(contract.clauses.values_list("template_id", flat=True))
    by_chapter: dict[str, list[ClauseTemplate]] = {}
    context = context_values(contract)
    for template in ClauseTemplate.objects.filter(is_active=True).order_by("position", "key"):
        template.in_contract = template.pk in used
        template.preview = fill_clause(template, context, template.parameters)
        by_chapter.setdefault(template.chapter, []).append(template)
    return [
        (str(chapter.label), by_chapter[chapter.value])
        for chapter in Chapter
        if chapter.value in by_chapter
    ]


def clause_template_get(*, user: User, template_id) -> ClauseTemplate:
    _visible(user)
    try:
        return ClauseTemplate.objects.get(pk=template_id, is_active=True)
    except (ClauseTemplate.DoesNotExist, ValueError, TypeError) as exc:
        raise ContractNotFound from exc


def version_get_for_user(*, user: User, contract_id, number) -> ContractVersion:
    contract = contract_get_plain(user=user, contract_id=contract_id)
    try:
        version = ContractVersion.objects.select_related("created_by").get(
            contract=contract, number=number
        )
    except (ContractVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise ContractNotFound from exc
    version.contract = contract
    return version


@dataclass
class VersionComparison:
    contract: CollectiveContract
    old: ContractVersion
    new: ContractVersion
    diff: VersionDiff
    numbers: list[int]


def version_diff_for_user(*, user: User, contract_id, old_number, new_number) -> VersionComparison:
    """The difference between two versions of one contract (either order)."""
    contract = contract_get_plain(user=user, contract_id=contract_id)
    versions = {
        v.number: v
        for v in ContractVersion.objects.select_related("created_by").filter(
            contract=contract, number__in=[old_number, new_number]
        )
    }
    if old_number not in versions or new_number not in versions:
        raise ContractNotFound
    old, new = versions[old_number], versions[new_number]
    diff = diff_texts(old.text, new.text, label_old=f"v{old.number}", label_new=f"v{new.number}")
    numbers = list(
        ContractVersion.objects.filter(contract=contract)
        .order_by("number")
        .values_list("number", flat=True)
    )
    return VersionComparison(contract, old, new, diff, numbers)


def readable_contract_reason(reason: str) -> str:
    """History reasons start with the transition's name ("sign: …") or are a VersionReason
    key ("opened"): show its label, in the reader's language."""
    if reason in VersionReason.values:
        return str(VersionReason(reason).label)
    name, _sep, rest = (reason or "").partition(":")
    if name in LIFECYCLE:
        label = str(LIFECYCLE[name].label)
        return f"{label}: {rest.strip()}" if rest.strip() else label
    return reason or ""


def contract_history_for_user(*, user: User, contract: CollectiveContract, limit: int = 50):
    """The contract's history (who, when, why, the state after), newest first."""
    _visible(user)
    rows = contract.history.select_related("history_user").order_by("-history_date", "-history_id")[
        :limit
    ]
    return [
        {
            "when": row.history_date,
            "who": row.history_user,
            "reason": readable_contract_reason(row.history_change_reason),
            "state": S(row.state).label if row.state in S.values else row.state,
        }
        for row in rows
    ]


def contract_documents_for_user(*, user: User, contract: CollectiveContract) -> list:
    """The contract's PDF documents, newest first (none when the page offers no PDF)."""
    if not pdf_available():
        return []
    return documents_for_subject(user=user, subject=contract, kind_key=KIND_KEY)
