"""Filing a complaint and adding to it: the worker's (or staff's) words, parties and evidence."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.choices import MONEY_CATEGORIES, CaseState, Channel
from casework.cases.evidence import CheckedFile
from casework.cases.limitation import limitation_warnings
from casework.cases.models import Case, CaseParty, Evidence
from casework.cases.references import next_reference
from casework.cases.services.common import refuse_unavailable
from casework.clocks.services import clocks_on_event
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.roles import STAFF_ROLES, Role
from casework.notifications.audiences import team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.access import scope_for
from casework.organisation.models import Unit, User
from casework.routing.router import route_new_case
from casework.timeline.events import case_filed_event, evidence_added_event, worker_message_event
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
    files: list[CheckedFile] = field(default_factory=list)


def _check_evidence_room(case_id: int | None, files: list[CheckedFile]) -> None:
    existing = Evidence.objects.filter(case_id=case_id).count() if case_id else 0
    limit = settings.ANXIN_EVIDENCE_MAX_FILES
    if existing + len(files) > limit:
        raise ActionRefused(
            _("A case can have at most %(limit)d files; this one has room for %(room)d more.")
            % {"limit": limit, "room": max(0, limit - existing)},
            field="files",
        )


def _store_evidence(case: Case, files: list[CheckedFile], actor: User) -> None:
    for checked in files:
        evidence = Evidence(
            case=case,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        evidence.file.save(checked.sha256, checked.upload, save=False)
        evidence._history_user = actor
        evidence.save()


def case_file(
    *, actor: User, complaint: Complaint, worker: User | None = None, channel: str
) -> Case:
    """File a complaint: a worker for themselves (online), or staff for a caller or walk-in.

    Changes: a new Case (reference issued, routed to a team), its parties and evidence, a
    public "filed" event. Sends nothing yet (notifications arrive with issue 5).
    """
    if worker is None:
        worker = actor
    if actor != worker and not scope_for(actor).is_staff_member:
        raise ActionRefused(_("Only staff can file a complaint for someone else."))
    if actor == worker and not actor.is_worker:
        raise ActionRefused(_("Staff file complaints for a worker: give the worker's number."))
    if channel not in Channel.values or (actor == worker) != (channel == Channel.ONLINE):
        raise ActionRefused(_("Choose how the complaint reached us."), field="channel")
    if complaint.period_end < complaint.period_start:
        raise ActionRefused(
            _("The end date must not be before the start date."), field="period_end"
        )
    if complaint.category not in MONEY_CATEGORIES:
        complaint.amount_claimed = Decimal("0.00")
    if not complaint.parties:
        raise ActionRefused(_("Name at least the platform or the company."), field="platform")
    _check_evidence_room(None, complaint.files)
    route = route_new_case(jurisdiction=complaint.jurisdiction, category=complaint.category)

    with transaction.atomic():
        case = Case(
            reference=next_reference(),
            worker=worker,
            worker_name=complaint.worker_name or worker.name,
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
        case._history_user = actor
        case._change_reason = _("Filed")
        case.save()
        for position, party in enumerate(complaint.parties, start=1):
            row = CaseParty(
                case=case,
                position=position,
                kind=party.kind,
                company=party.company,
                name=party.name,
            )
            row._history_user = actor
            row.save()
        _store_evidence(case, complaint.files, actor)
        case_filed_event(case=case, actor=actor)
        clocks_on_event(case=case, event="filed", actor=actor)
        notify(
            recipients=team_members(case.team_id),
            kind=NotificationKind.NEW_CASE,
            case=case,
            params={"category": case.category, "place": case.jurisdiction.name},
        )
        case_changed(case)
    return case


def case_worker_message(*, actor: User, case_id: int, body: str, files: list[CheckedFile]) -> None:
    """The worker adds a message and/or evidence to their own open case."""
    body = (body or "").strip()
    if not body and not files:
        raise ActionRefused(_("Write a message or choose a file."), field="body")
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        if Role.WORKER not in roles and not roles & STAFF_ROLES:
            raise CaseNotFound
        if case.state in (CaseState.CLOSED, CaseState.WITHDRAWN):
            refuse_unavailable(case)
        _check_evidence_room(case.pk, files)
        _store_evidence(case, files, actor)
        if files:
            evidence_added_event(
                case=case, actor=actor, file_names=[f.original_name for f in files]
            )
        if body:
            worker_message_event(case=case, actor=actor, body=body)
