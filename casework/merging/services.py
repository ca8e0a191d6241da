"""Merging a duplicate into the case that survives.

One transaction: both cases locked in id order (two merges of the same pair at once: the
second waits, then finds the first's result and is refused), the checks, the fields chosen
on the preview, the duplicate's evidence, notes and parties moved to the survivor (each with
its history row), the duplicate taken to "merged" through the case transition mechanism
(history with who, when and why; its clocks end; its timeline and history stay where they
are: the timeline is append-only), the survivor's timeline told, the worker (by text message,
with a link to the survivor) and the survivor's team notified.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from arrears.ledger import case_ledger
from arrears.services.verified import verified_amount_set
from casework.cases.choices import CaseState, Category
from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case, CaseNote, CaseParty, Evidence
from casework.cases.services.transitions import take_prepared_step
from casework.channels.replies import upstream_merge_notify
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.roles import Role
from casework.merging.models import CaseMerge
from casework.notifications.audiences import team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.models import User
from casework.timeline.events import case_merged_from_event

MERGERS = frozenset({Role.COORDINATOR, Role.SUPERVISOR})
# The fields the preview shows side by side; the survivor keeps its own unless told otherwise.
CHOSEN_FIELDS = (
    "category",
    "period_start",
    "period_end",
    "amount_claimed",
    "amount_verified",
    "order_ids",
    "description",
)
SURVIVOR, MERGED = "survivor", "merged"
# Other concerns move what they keep per case (upstream references, on the channels branch):
# each is called (merged, survivor, actor) inside the merge's transaction, both rows locked.
MERGE_MOVERS: list[Callable[[Case, Case, User], dict]] = []


def _as_id(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise CaseNotFound from exc
    if not 0 < number < 2**63:
        raise CaseNotFound
    return number


def _lock_pair(actor: User, merged_id: int, survivor_id: int) -> tuple[Case, Case, frozenset]:
    """Both rows locked, lower id first; a case the actor may not see answers 404."""
    locked = {}
    roles_on = {}
    for case_id in sorted({merged_id, survivor_id}):
        locked[case_id], roles_on[case_id] = Case.objects.lock_for(
            actor=actor, case_id=case_id, roles_needed=MERGERS
        )
    return locked[merged_id], locked[survivor_id], roles_on[merged_id]


def merge_refusal(merged: Case, survivor: Case) -> str:
    """Why these two cases may not be merged ("" when they may), in the reader's words."""
    for case in (merged, survivor):
        if case.state == CaseState.MERGED:
            return _("%(reference)s was already merged into another case.") % {
                "reference": case.reference
            }
        if case.state not in OPEN_STATES:
            return _("%(reference)s is concluded (“%(state)s”): only open cases are merged.") % {
                "reference": case.reference,
                "state": case.state_label,
            }
    if merged.worker_id != survivor.worker_id:
        return _(
            "These complaints are by different workers: group them as related complaints "
            "instead of merging them."
        )
    if merged.group_id and survivor.group_id and merged.group_id != survivor.group_id:
        return _(
            "The two cases belong to different groups of related complaints: take one out of "
            "its group first."
        )
    if merged.payments.exists():
        return _(
            "Payments are recorded on %(reference)s: keep it, and merge the other case into it."
        ) % {"reference": merged.reference}
    return ""


def _checked_value(field: str, value):
    """A value taken from the duplicate, re-checked as the survivor's field."""
    if field == "category" and value not in Category.values:
        raise ActionRefused(_("Choose a category from the list."), field=field)
    if field in ("amount_claimed", "amount_verified") and value is not None:
        try:
            value = Decimal(value)
        except (InvalidOperation, TypeError) as exc:
            raise ActionRefused(_("Enter an amount."), field=field) from exc
        if value < 0 or value >= Decimal("10000000000"):
            raise ActionRefused(_("Enter an amount between 0 and 9,999,999,999.99."), field=field)
    return value


def _apply_choices(merged: Case, survivor: Case, keep: dict[str, str]) -> tuple[dict, list[str]]:
    chosen, changed = {}, []
    for field in CHOSEN_FIELDS:
        side = keep.get(field, SURVIVOR)
        if side not in (SURVIVOR, MERGED):
            raise ActionRefused(_("Choose which case's value to keep."), field=field)
        chosen[field] = side
        if field == "amount_verified":
            continue  # the ledger's service sets it, with its basis (_take_verified_amount)
        if side == MERGED and getattr(merged, field) != getattr(survivor, field):
            setattr(survivor, field, _checked_value(field, getattr(merged, field)))
            changed.append(field)
    start, end = survivor.period_start, survivor.period_end
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise ActionRefused(
            _("The period chosen would end before it starts: choose both dates from one case."),
            field="period_end",
        )
    return chosen, changed


def _take_verified_amount(merged: Case, survivor: Case, actor: User) -> bool:
    """The duplicate's verified amount, chosen on the preview, set on the survivor through the
    arrears ledger's service: a new verified-amount row with the duplicate's basis (orders,
    deductions, period, evidence: the files have just moved to the survivor), a reason naming
    the duplicate, the case's history row and a timeline entry the worker reads. The ledger's
    checks apply (nothing less than what is paid). Answers whether the amount changed."""
    if merged.amount_verified == survivor.amount_verified:
        return False
    if merged.amount_verified is None:
        raise ActionRefused(
            _("%(reference)s has no verified amount: keep the verified amount of %(survivor)s.")
            % {"reference": merged.reference, "survivor": survivor.reference},
            field="amount_verified",
        )
    basis = case_ledger(user=actor, case=merged).verified_row
    verified_amount_set(
        actor=actor,
        case_id=survivor.pk,
        amount=merged.amount_verified,
        period_start=basis.period_start if basis else merged.period_start,
        period_end=basis.period_end if basis else merged.period_end,
        orders=basis.orders if basis else "",
        deductions=basis.deductions if basis else "",
        evidence_ids=[e.pk for e in basis.evidence.all()] if basis else (),
        reason=_("Verified on %(reference)s, merged into this case.")
        % {"reference": merged.reference},
    )
    return True


def _move_rows(merged: Case, survivor: Case, actor: User) -> dict:
    """Evidence, notes and the parties the survivor does not name yet, each saved with its
    history row (the reason names the duplicate)."""
    why = f"merge: {merged.reference}"
    moved = {"evidence": 0, "notes": 0, "parties": 0}
    for model, key in ((Evidence, "evidence"), (CaseNote, "notes")):
        for row in model.objects.filter(case=merged).order_by("pk"):
            row.case = survivor
            row._history_user, row._change_reason = actor, why
            row.save(update_fields=["case"])
            moved[key] += 1
    named = list(CaseParty.objects.filter(case=survivor))
    known = {(p.company_id, p.name.strip()) for p in named}
    position = max((p.position for p in named), default=0)
    for party in CaseParty.objects.filter(case=merged).order_by("position"):
        if (party.company_id, party.name.strip()) in known:
            continue  # the survivor's chain already names them; the duplicate keeps its row
        position += 1
        party.case, party.position = survivor, position
        party._history_user, party._change_reason = actor, why
        party.save(update_fields=["case", "position"])
        moved["parties"] += 1
    return moved


def case_merge(
    *,
    actor: User,
    merged_id,
    survivor_id,
    reason: str,
    keep: dict[str, str] | None = None,
    expected_state: str | None = None,
) -> CaseMerge:
    """Merge case `merged_id` into `survivor_id` (staff: coordinator or supervisor on both).

    Changes: the survivor's chosen fields (history row "merge: BJ-…"), the duplicate's
    evidence, notes and new parties (now the survivor's), a verified amount taken from it
    (through the arrears ledger, with its basis), its state ("merged", with who and why), its
    clocks (ended), a CaseMerge row, timeline entries on both, a notice to the upstream source
    of each of its work orders (which then move to the survivor). Sends (after commit): the
    worker a text message with a link to the survivor, the survivor's team a notification,
    the notices through each channel's push adapter (the file export sends nothing).
    Raises CaseNotFound for a case the actor may not see, ActionRefused otherwise."""
    merged_id, survivor_id = _as_id(merged_id), _as_id(survivor_id)
    reason = (reason or "").strip()
    if merged_id == survivor_id:
        raise ActionRefused(_("A case cannot be merged with itself."), field="other")
    pair: dict[str, Case] = {}

    def lock():
        merged, survivor, roles = _lock_pair(actor, merged_id, survivor_id)
        refusal = merge_refusal(merged, survivor)
        if refusal:
            raise ActionRefused(refusal)
        pair.update(merged=merged, survivor=survivor)
        return merged, roles

    record: list[CaseMerge] = []

    def after(merged: Case) -> None:
        survivor = pair["survivor"]
        chosen, changed = _apply_choices(merged, survivor, keep or {})
        if merged.group_id and not survivor.group_id:
            survivor.group_id = merged.group_id  # the survivor takes its place in the group
            changed.append("group")
        survivor._history_user = actor
        survivor._change_reason = f"merge: {merged.reference}"
        survivor.save(update_fields=[*changed, "updated_at"])
        moved = _move_rows(merged, survivor, actor)
        if chosen.get("amount_verified") == MERGED and _take_verified_amount(
            merged, survivor, actor
        ):
            moved["verified_amount"] = str(merged.amount_verified)
            survivor.amount_verified = merged.amount_verified  # saved by the ledger's service
        # Before the work orders move: each upstream source hears which case continues.
        told = upstream_merge_notify(actor=actor, merged=merged, survivor=survivor)
        if told:
            moved["upstream_told"] = told
        for mover in MERGE_MOVERS:
            moved.update(mover(merged, survivor, actor) or {})
        row = CaseMerge(
            merged=merged,
            survivor=survivor,
            actor=actor,
            reason=reason,
            choices=chosen,
            moved=moved,
        )
        row._history_user = actor
        row.save()
        record.append(row)
        case_merged_from_event(case=survivor, actor=actor, merged_reference=merged.reference)
        notify(
            recipients=[survivor.worker],
            kind=NotificationKind.CASE_MERGED,
            case=survivor,
            params={"merged": merged.reference},
            sms=True,
        )
        notify(
            recipients=[*team_members(survivor.team_id), survivor.assignee, merged.assignee],
            kind=NotificationKind.CASE_MERGED,
            case=survivor,
            params={"merged": merged.reference},
        )
        case_changed(survivor)

    take_prepared_step(
        actor=actor,
        case_id=merged_id,
        name="merge",
        expected_state=expected_state or None,
        reason=reason,
        prepare=lambda case: [],
        after=after,
        lock=lock,
    )
    return record[0]
