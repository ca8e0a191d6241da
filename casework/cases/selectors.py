"""Reads of cases for pages. Every function takes the user and sees only what they may."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.db import connection
from django.db.models import (
    BooleanField,
    Field,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django_fsm import can_proceed

from casework.cases.lifecycle import MESSAGE_STATES, TRANSITIONS, Transition
from casework.cases.models import Case, CaseNote, CaseParty, Evidence
from casework.clocks.models import Deadline, DeadlineExtension
from casework.clocks.selectors import Countdown, countdown
from casework.core import kept_sql
from casework.core.access import case_roles, visible_cases_q
from casework.core.bounds import parse_id
from casework.core.errors import CaseNotFound
from casework.core.roles import Role
from casework.organisation import principal
from casework.organisation.access import scope_for
from casework.organisation.models import User
from casework.timeline.models import EVENTS_WITH_DETAIL, CaseEvent


@cache
def _case_page_sql() -> dict[str, tuple[str, Field]]:
    """What the case page's panels would read, asked with the case in its one query: a panel
    whose rows the case does not have reads nothing. The ledger, ratings and merges sit above
    cases (which do not import them): their tables are found through the reverse relations.
    Plain SQL: the same subqueries built as ORM expressions cost 2.8 ms of Python a page. It
    names the case table itself: only for a query whose base table is the case's."""
    qn = connection.ops.quote_name
    this_case = f"{qn(Case._meta.db_table)}.{qn(Case._meta.pk.column)}"

    def rows(relation: str, select: str = "1") -> str:
        rel = Case._meta.get_field(relation)
        table = qn(rel.related_model._meta.db_table)
        # Quoted table and column names of our own models; no value from outside.
        return f"SELECT {select} FROM {table} WHERE {qn(rel.field.column)} = {this_case}"  # noqa: S608

    def exists(*relations: str) -> tuple[str, Field]:
        return " OR ".join(f"EXISTS ({rows(r)})" for r in relations), BooleanField()

    amount = Case._meta.get_field("payments").related_model._meta.get_field("amount")
    return {
        # None when the case has no payment row: Case.amount_paid reads it as 0; the ledger
        # reads no payments (a payment and its correction add up to 0 and are both shown).
        "paid_total": (f"({rows('payments', f'SUM({qn(amount.column)})')})", amount),
        "has_payment_orders": exists("payment_orders"),
        "has_rating": exists("rating"),
        "has_evidence": exists("evidence"),
        "has_links": exists("merge_record", "absorbed", "split_record", "split_off"),
    }


@cache
def _extended_sql() -> str:
    """Whether a clock has an extension (asked or decided); plain SQL, as above."""
    qn = connection.ops.quote_name
    deadline = f"{qn(Deadline._meta.db_table)}.{qn(Deadline._meta.pk.column)}"
    column = qn(DeadlineExtension._meta.get_field("deadline").column)
    table = qn(DeadlineExtension._meta.db_table)
    return f"EXISTS (SELECT 1 FROM {table} WHERE {column} = {deadline})"  # noqa: S608


def _case_page_rows() -> dict[str, RawSQL]:
    sql = _case_page_sql().items()
    return {name: RawSQL(text, (), output_field=field) for name, (text, field) in sql}  # noqa: S611


def employer_chain() -> QuerySet[CaseParty]:
    """Cases' parties in their order, with their companies: what every page lists."""
    return CaseParty.objects.select_related("company").order_by("position")


def platform_parties_prefetch(to_attr: str | None = None):
    # The queue asks for to_attr: a plain list rather than a related manager re-wrapped on
    # every access (measured 1.2 -> 0.5 ms for 25 rows).
    return Prefetch("parties", queryset=employer_chain(), to_attr=to_attr)


def case_list_for_worker(*, user: User) -> QuerySet[Case]:
    return (
        Case.objects.filter(worker=user)
        .select_related("team")
        .prefetch_related(platform_parties_prefetch())
        .order_by("-created_at", "-pk")
    )


@dataclass
class CaseView:
    case: Case
    roles: frozenset[Role]
    transitions: list[tuple[str, Transition]]
    events: list[CaseEvent]
    notes: list[CaseNote]
    evidence: list[Evidence]
    clocks: list[Countdown]
    parties: list[CaseParty] = field(default_factory=list)
    # The rows of CASE_PAGE_PANEL_READS, by name (None: not read with the page).
    panel_rows: dict[str, list] | None = None

    @property
    def is_staff_view(self) -> bool:
        return bool(self.roles - {Role.WORKER})

    @property
    def takes_worker_messages(self) -> bool:
        return self.case.state in MESSAGE_STATES


REASON_IN_HEADLINE = {"assigned", "evidence_added", *EVENTS_WITH_DETAIL}

# The tables of the apps above casework that the case page shows (the ledger, which casework
# cannot import): each function, registered from its AppConfig.ready, answers the reads its
# panel needs for a case, by name. They are sent with the page's own (CaseView.panel_rows).
CASE_PAGE_PANEL_READS: list[Callable[[Case], dict[str, kept_sql.Read]]] = []


def case_get_for_user(*, user: User, case_id) -> CaseView:
    """The case page: raises CaseNotFound for a case the user may not see.

    Its SQL is kept per process (casework/core/kept_sql.py): the case's, keyed by the
    signed-in user's scope tokens, the other tables' by their shape alone."""
    scope = scope_for(user)
    pk = parse_id(case_id)
    if pk is None:
        raise CaseNotFound
    stamp = principal.scope_stamp(user)
    found = kept_sql.fetch(
        ("case page", *stamp) if stamp else None,
        lambda pk: (
            Case.objects.filter(visible_cases_q(scope), pk=pk)
            .select_related("team__unit", "jurisdiction")
            .annotate(**_case_page_rows())
        ),
        pk,
    )
    if not found:
        raise CaseNotFound
    case = found[0]
    roles = case_roles(scope, case)
    staff = bool(roles - {Role.WORKER})
    # The rest in one round trip; the people are those of the case, its timeline and notes.
    people_of_case = (
        pk,
        case.worker_id,
        case.filed_by_id or case.worker_id,
        case.assignee_id or case.worker_id,
    )
    reads = {
        "clocks": kept_sql.Read("case page: clocks", _clocks, (pk,)),
        "events": kept_sql.Read(("case page: events", staff), _events(staff), (pk,)),
        "parties": kept_sql.Read("case page: parties", _parties, (pk,)),
        "people": kept_sql.Read(("case page: people", staff), _people(staff), people_of_case),
    }
    if staff:
        reads["notes"] = kept_sql.Read("case page: notes", _notes, (pk,))
    if case.has_evidence:
        reads["evidence"] = kept_sql.Read("case page: evidence", _evidence, (pk,))
    panel_reads = {}
    for panel in CASE_PAGE_PANEL_READS:
        panel_reads.update(panel(case))
    reads.update(panel_reads)
    found = dict(zip(reads, kept_sql.fetch_together(*reads.values()), strict=True))
    deadlines, events, notes = found["clocks"], found["events"], found.get("notes", [])
    # Extensions are rare: read them only for the clocks that have one.
    prefetch_related_objects([d for d in deadlines if d.extended], "extensions")
    people = {person.pk: person for person in found["people"]}
    case.worker, case.filed_by = people[case.worker_id], people.get(case.filed_by_id)
    case.assignee = people.get(case.assignee_id)
    for event in events:
        if event.actor_id:
            event.actor = people[event.actor_id]
    for note in notes:
        note.author = people[note.author_id]
    public_reasons = {name for name, rule in TRANSITIONS.items() if rule.reason_is_public}
    for event in events:
        # Which reason this viewer reads: staff all; workers those the rule makes public.
        # (Assignments, evidence and the mediation details are in the headline already.)
        shown = (event.reason or event.params) and event.kind not in REASON_IN_HEADLINE
        if not staff and event.kind == "transition" and event.transition not in public_reasons:
            shown = False
        event.visible_reason = event.detail if shown else ""
    transitions = [
        (name, rule)
        for name, rule in TRANSITIONS.items()
        if roles & rule.roles and can_proceed(getattr(case, name), check_conditions=False)
    ]
    return CaseView(
        case=case,
        roles=roles,
        transitions=transitions,
        events=events,
        notes=notes,
        evidence=found.get("evidence", []),
        clocks=[countdown(d) for d in deadlines],
        parties=found["parties"],
        panel_rows={name: found[name] for name in panel_reads},
    )


def _clocks(case_id: int) -> QuerySet[Deadline]:
    return (
        Deadline.objects.filter(case_id=case_id)
        .select_related("rule")
        .annotate(extended=RawSQL(_extended_sql(), (), output_field=BooleanField()))  # noqa: S611
    )


def _events(staff: bool):
    def events(case_id: int) -> QuerySet[CaseEvent]:
        found = CaseEvent.objects.filter(case_id=case_id).order_by("created_at", "pk")
        return found if staff else found.filter(is_public=True)

    return events


def _notes(case_id: int) -> QuerySet[CaseNote]:
    return CaseNote.objects.filter(case_id=case_id).order_by("created_at", "pk")


def _evidence(case_id: int) -> QuerySet[Evidence]:
    return Evidence.objects.filter(case_id=case_id).order_by("uploaded_at", "pk")


def _parties(case_id: int) -> QuerySet[CaseParty]:
    return employer_chain().filter(case_id=case_id)


def _people(staff: bool):
    def people(case_id: int, worker_id: int, filed_by_id: int, assignee_id: int) -> QuerySet[User]:
        named = (worker_id, filed_by_id, assignee_id, case_id)
        params = named + ((case_id,) if staff else (True,))
        return User.objects.filter(pk__in=RawSQL(_people_sql(staff), params))  # noqa: S611

    return people


@cache
def _people_sql(staff: bool) -> str:
    """The ids of the case's worker, filer and assignee (given) and of the people of its
    timeline and notes, as one list: with OR between lists PostgreSQL read every user."""
    qn = connection.ops.quote_name

    def column(model, name: str) -> str:
        return qn(model._meta.get_field(name).column)

    events = (
        f"SELECT {column(CaseEvent, 'actor')} FROM {qn(CaseEvent._meta.db_table)} "  # noqa: S608
        f"WHERE {column(CaseEvent, 'case')} = %s"
    )
    if not staff:
        events += f" AND {column(CaseEvent, 'is_public')} = %s"
    given = " UNION ".join(["SELECT CAST(%s AS BIGINT)"] * 3)
    union = f"{given} UNION {events}"
    if staff:
        union += (
            f" UNION SELECT {column(CaseNote, 'author')} FROM {qn(CaseNote._meta.db_table)} "  # noqa: S608
            f"WHERE {column(CaseNote, 'case')} = %s"
        )
    return union


def case_actions_for_user(*, user: User, case_id) -> CaseView:
    """The case page's status and actions panel alone (what the open page refreshes live):
    the case, the assignee, the user's roles and the transitions open to them now. Raises
    CaseNotFound for a case the user may not see, and for the worker (their page differs)."""
    case, roles = case_for_staff(user=user, case_id=case_id)
    if case.assignee_id:
        case.assignee = User.objects.get(pk=case.assignee_id)
    transitions = [
        (name, rule)
        for name, rule in TRANSITIONS.items()
        if roles & rule.roles and can_proceed(getattr(case, name), check_conditions=False)
    ]
    return CaseView(
        case=case, roles=roles, transitions=transitions, events=[], notes=[], evidence=[], clocks=[]
    )


def case_for_staff(*, user: User, case_id) -> tuple[Case, frozenset[Role]]:
    """A case and the user's roles on it, for the pages beside the case page (its change
    history, related complaints). Raises CaseNotFound unless the user works on the case:
    the worker themself gets 404 here too."""
    scope = scope_for(user)
    try:
        case = (
            Case.objects.filter(visible_cases_q(scope))
            .select_related("team", "jurisdiction")
            .get(pk=int(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc
    roles = case_roles(scope, case)
    if not roles - {Role.WORKER}:
        raise CaseNotFound
    return case, roles


def evidence_get_for_user(*, user: User, case_id, evidence_id) -> Evidence:
    scope = scope_for(user)
    try:
        return Evidence.objects.select_related("case").get(
            pk=int(evidence_id),
            case_id=int(case_id),
            case__in=Case.objects.filter(visible_cases_q(scope)),
        )
    except (Evidence.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc


def staff_who_can_take(*, case: Case) -> QuerySet[User]:
    """Members of the case's team and of teams covering its street: candidates to assign."""
    return (
        User.objects.filter(
            Q(memberships__team_id=case.team_id)
            | Q(memberships__team__covers=case.jurisdiction_id),
            memberships__role__in=[Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR],
            is_active=True,
        )
        .distinct()
        .order_by("display_name", "username")
    )
