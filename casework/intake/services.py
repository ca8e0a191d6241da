"""Filing a complaint: the worker's (or staff's) words, the employer chain, evidence; the
case is routed, numbered, its clocks started and its team told."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.choices import MONEY_CATEGORIES, Channel
from casework.cases.models import Case, CaseParty
from casework.cases.services.evidence import check_evidence_room, store_evidence
from casework.clocks.services import clocks_start_for_filed
from casework.core.audit_hook import rows_batched, rows_written
from casework.core.bounds import check_date_bounds
from casework.core.errors import ActionRefused
from casework.core.history import history_create, save_with_history
from casework.core.identity import validate_id_number
from casework.core.kept_inserts import insert_rows
from casework.core.uploads import CheckedFile
from casework.intake.limitation import limitation_warnings
from casework.intake.names import validate_person_name
from casework.intake.references import next_reference
from casework.notifications.audiences import team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.access import scope_for
from casework.organisation.models import Unit, User
from casework.routing.router import route_new_case
from casework.timeline.events import case_filed_event
from platforms.models import Company


@dataclass
class PartyInput:
    kind: str
    company: Company | None = None
    name: str = ""


@dataclass
class Complaint:
    """What a complaint says, already parsed by a form."""

    category: str
    description: str
    jurisdiction: Unit
    period_start: date
    period_end: date
    parties: list[PartyInput]
    amount_claimed: Decimal = Decimal("0.00")
    order_ids: str = ""
    consent_to_share: bool = False
    still_working: bool | None = None
    worker_name: str = ""
    worker_id_number: str = ""
    files: list[CheckedFile] = field(default_factory=list)


def _check_identity(complaint: Complaint) -> None:
    """The forms check these too; a service called from elsewhere must not store a phone
    number as a name or an ID number with a wrong check digit."""
    checks = (
        ("worker_name", validate_person_name if complaint.worker_name else None),
        ("worker_id_number", validate_id_number),
    )
    for name, check in checks:
        if check is None:
            continue
        try:
            check(getattr(complaint, name))
        except ValidationError as refusal:
            raise ActionRefused(refusal.messages[0], field=name) from refusal


def party_rows(case: Case, complaint: Complaint) -> list[CaseParty]:
    """The case's parties as unsaved rows, numbered in the order the complaint names them."""
    return [
        CaseParty(
            case=case,
            position=position,
            kind=party.kind,
            company=party.company,
            name=party.name,
        )
        for position, party in enumerate(complaint.parties, start=1)
    ]


def check_filing(*, actor: User, worker: User, complaint: Complaint, channel: str) -> None:
    """What every filing must satisfy (one or many at once); raises ActionRefused. May
    zero the claim of a category without money."""
    if actor != worker and not scope_for(actor).is_staff_member:
        raise ActionRefused(_("Only staff can file a complaint for someone else."))
    if actor == worker and not actor.is_worker:
        raise ActionRefused(_("Staff file complaints for a worker: give the worker's number."))
    if channel not in Channel.values or (actor == worker) != (channel == Channel.ONLINE):
        raise ActionRefused(_("Choose how the complaint reached us."), field="channel")
    check_date_bounds(period_start=complaint.period_start, period_end=complaint.period_end)
    if complaint.period_end < complaint.period_start:
        raise ActionRefused(
            _("The end date must not be before the start date."), field="period_end"
        )
    if complaint.category not in MONEY_CATEGORIES:
        complaint.amount_claimed = Decimal("0.00")
    if not complaint.parties:
        raise ActionRefused(_("Name at least the platform or the company."), field="platform")
    check_evidence_room(None, complaint.files)
    _check_identity(complaint)


def case_row(*, actor: User, worker: User, complaint: Complaint, channel: str, route, reference):
    """The unsaved Case a checked complaint becomes."""
    return Case(
        reference=reference,
        worker=worker,
        worker_name=complaint.worker_name or worker.name,
        worker_id_number=complaint.worker_id_number,
        filed_by=actor,
        channel=channel,
        category=complaint.category,
        jurisdiction=complaint.jurisdiction,
        team=route.team,
        routing=route.routing,
        still_working=complaint.still_working,
        limitation_warning="\n".join(
            limitation_warnings(
                period_end=complaint.period_end,
                still_working=complaint.still_working,
                today=timezone.localdate(),
            )
        ),
        period_start=complaint.period_start,
        period_end=complaint.period_end,
        amount_claimed=complaint.amount_claimed,
        order_ids=complaint.order_ids,
        description=complaint.description,
        consent_to_share=complaint.consent_to_share,
        employer=next(
            (p.company for p in reversed(complaint.parties) if p.company is not None), None
        ),
    )


def _same_objects(people: list[User], actor: User) -> list[User]:
    """`people` with the actor's own object in place of a second copy of their row: what was
    worked out about them in this request (their access scope) is not worked out again."""
    return [actor if person.pk == actor.pk else person for person in people]


def case_file(
    *, actor: User, complaint: Complaint, worker: User | None = None, channel: str
) -> Case:
    """File a complaint: a worker for themselves (online), or staff for a caller or walk-in.

    Changes: a new Case (reference issued, routed to a team), its parties and evidence, its
    clocks, a public "filed" event. Sends (after commit): a notification to the team, and a
    refresh to its open queues.
    """
    if worker is None:
        worker = actor
    check_filing(actor=actor, worker=worker, complaint=complaint, channel=channel)
    route = route_new_case(jurisdiction=complaint.jurisdiction, category=complaint.category)

    # No savepoint of its own: a refusal raised in here leaves through the caller's
    # transaction, which rolls back. The audit chain appends the filing's rows in one
    # statement at the end (rows_batched) instead of one per table.
    with transaction.atomic(savepoint=False), rows_batched():
        case = case_row(
            actor=actor,
            worker=worker,
            complaint=complaint,
            channel=channel,
            route=route,
            reference=next_reference(),
        )
        case._history_user = actor
        case._change_reason = "filed"  # a key: the history page says it in the reader's words
        rows_written(save_with_history(case))  # its history row chained as the parties' are
        parties = insert_rows(party_rows(case, complaint))
        rows_written(history_create(parties, default_user=actor))
        store_evidence(case, complaint.files, actor)
        case_filed_event(case=case, actor=actor)
        clocks_start_for_filed(cases=[case])  # a new case has no clock to end
        notify(
            recipients=_same_objects(team_members(case.team_id), actor),
            kind=NotificationKind.NEW_CASE,
            case=case,
            params={"category": case.category, "place": case.jurisdiction.name},
            readers_are_its_team=True,
        )
        case_changed(case)
    return case
