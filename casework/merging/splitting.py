"""Splitting a complaint that holds two grievances (say, unpaid wages from one company and an
unfair ban by another): staff choose the parties, the amount and the evidence that go to a new
case, which is filed for the same worker, in the same street and team, and links back."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from casework.cases.choices import MONEY_CATEGORIES, Category
from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case, CaseParty, Evidence
from casework.clocks.services import clocks_on_event
from casework.core.errors import ActionRefused
from casework.intake.references import next_reference
from casework.merging.models import CaseSplit
from casework.merging.services import MERGERS, _as_id
from casework.notifications.audiences import team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.models import User
from casework.timeline.events import case_filed_event, case_split_events


@dataclass
class SplitInput:
    """What goes to the new case, already parsed by the form."""

    party_ids: list[int]
    evidence_ids: list[int]
    amount: Decimal
    category: str
    description: str
    reason: str


def _check(case: Case, choice: SplitInput) -> tuple[list[CaseParty], list[CaseParty]]:
    if case.state not in OPEN_STATES:
        raise ActionRefused(
            _("Only an open case can be split; this one is “%(state)s”.")
            % {"state": case.state_label}
        )
    if not choice.reason.strip():
        raise ActionRefused(_("Please give a reason."), field="reason")
    if not choice.description.strip():
        raise ActionRefused(_("Say what the new case is about."), field="description")
    if choice.category not in Category.values:
        raise ActionRefused(_("Choose a category from the list."), field="category")
    parties = list(CaseParty.objects.filter(case=case).order_by("position"))
    chosen = {int(pk) for pk in choice.party_ids}
    going = [p for p in parties if p.pk in chosen]
    if len(going) != len(chosen) or not going:
        raise ActionRefused(_("Choose who the new case is against."), field="parties")
    if len(going) == len(parties):
        raise ActionRefused(
            _("Leave at least one company on this case: it still needs someone to answer it."),
            field="parties",
        )
    amount = choice.amount if choice.category in MONEY_CATEGORIES else Decimal("0.00")
    if amount < 0 or amount > case.amount_claimed:
        raise ActionRefused(
            _("The amount moved must be between 0 and this case's claim."), field="amount"
        )
    choice.amount = amount
    return going, [p for p in parties if p.pk not in chosen]


def case_split(*, actor: User, case_id, choice: SplitInput) -> Case:
    """Take the chosen parties, amount and evidence out of case `case_id` into a new case.

    Changes: a new case (reference issued, "submitted", its acceptance clock started), the
    chosen parties and evidence moved to it and the amount taken off this case's claim (each
    with its history row), a CaseSplit row, timeline entries on both. Sends (after commit): the
    worker a text message with a link to the new case, the team a notification."""
    case_id = _as_id(case_id)
    with transaction.atomic():
        case = Case.objects.lock_for(actor=actor, case_id=case_id, roles_needed=MERGERS)[0]
        going, staying = _check(case, choice)
        why = f"split: {case.reference}"
        new = Case(
            reference=next_reference(),
            worker_id=case.worker_id,
            worker_name=case.worker_name,
            worker_id_number=case.worker_id_number,
            filed_by=actor,
            channel=case.channel,
            category=choice.category,
            jurisdiction=case.jurisdiction,
            team=case.team,
            routing=case.routing,
            routing_reason=case.routing_reason,
            still_working=case.still_working,
            period_start=case.period_start,
            period_end=case.period_end,
            amount_claimed=choice.amount,
            description=choice.description.strip(),
            consent_to_share=case.consent_to_share,
            employer=next((p.company for p in reversed(going) if p.company_id), None),
        )
        new._history_user, new._change_reason = actor, why
        new.save()
        for position, party in enumerate(going, start=1):
            party.case, party.position = new, position
            party._history_user, party._change_reason = actor, why
            party.save(update_fields=["case", "position"])
        evidence = list(Evidence.objects.filter(case=case, pk__in=choice.evidence_ids))
        for row in evidence:
            row.case = new
            row._history_user, row._change_reason = actor, why
            row.save(update_fields=["case"])
        changed = ["updated_at"]
        if choice.amount:
            case.amount_claimed -= choice.amount
            changed.append("amount_claimed")
        if case.employer_id and case.employer_id not in {p.company_id for p in staying}:
            case.employer = next((p.company for p in reversed(staying) if p.company_id), None)
            changed.append("employer")
        case._history_user, case._change_reason = actor, f"split: {new.reference}"
        case.save(update_fields=changed)
        split = CaseSplit(
            original=case,
            new_case=new,
            actor=actor,
            reason=choice.reason.strip(),
            moved={
                "parties": len(going),
                "evidence": len(evidence),
                "amount": str(choice.amount),
            },
        )
        split._history_user = actor
        split.save()
        case_filed_event(case=new, actor=actor)
        case_split_events(original=case, new_case=new, actor=actor)
        clocks_on_event(case=new, event="filed", actor=actor)
        notify(
            recipients=[case.worker],
            kind=NotificationKind.CASE_SPLIT,
            case=new,
            params={"original": case.reference},
            sms=True,
        )
        notify(
            recipients=[*team_members(case.team_id), case.assignee],
            kind=NotificationKind.CASE_SPLIT,
            case=new,
            params={"original": case.reference},
        )
        case_changed(case)
        case_changed(new)
    return new
