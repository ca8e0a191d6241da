"""Registering upstream work orders: one case per (channel, reference), filed through the
same intake service as every complaint (routing, clocks, history, timeline, notifications)."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.choices import UPSTREAM_CHANNELS
from casework.cases.models import Case
from casework.channels.access import servable_units
from casework.channels.deadlines import upstream_due
from casework.channels.models import UpstreamOrder
from casework.core.bounds import check_date_bounds
from casework.core.errors import ActionRefused
from casework.intake.services import Complaint, case_file
from casework.organisation.models import User
from casework.organisation.services.workers import worker_get_or_create

MAX_REFERENCE = 64


@dataclass
class WorkOrder:
    """An upstream work order, parsed (by the one-screen form, an import row or the API)."""

    channel: str
    reference: str
    received_on: date
    worker_mobile: str
    worker_name: str
    complaint: Complaint
    text: str = ""
    due_on: date | None = None  # the upstream's own deadline, when the order states one


def clean_reference(raw: str) -> str:
    reference = " ".join(str(raw or "").split())
    if not reference:
        raise ActionRefused(_("Give the work order's number."), field="upstream_reference")
    if len(reference) > MAX_REFERENCE or not reference.isprintable():
        raise ActionRefused(
            _("A work order number has at most 64 printable characters."),
            field="upstream_reference",
        )
    return reference


def check_order(order: WorkOrder, *, servable_ids: set[int]) -> None:
    """What a work order must satisfy before it is filed; cleans its reference."""
    if order.channel not in UPSTREAM_CHANNELS:
        raise ActionRefused(_("Choose where the work order came from."), field="channel")
    order.reference = clean_reference(order.reference)
    check_date_bounds(received_on=order.received_on)
    if order.received_on > timezone.localdate():
        raise ActionRefused(
            _("The work order cannot be received in the future."), field="received_on"
        )
    if order.due_on is not None:
        check_date_bounds(due_on=order.due_on)
    if order.complaint.jurisdiction.pk not in servable_ids:
        raise ActionRefused(
            _("You do not serve %(place)s: register it there, or ask its team.")
            % {"place": order.complaint.jurisdiction.name},
            field="jurisdiction",
        )


def order_row(*, actor: User, order: WorkOrder, case: Case, rules, calendar) -> UpstreamOrder:
    """The unsaved work order row of a filed case, its deadline counted by the channel's rule
    (or the upstream's own, when the order states one)."""
    due = upstream_due(
        channel=order.channel, received_on=order.received_on, rules=rules, calendar=calendar
    )
    row = UpstreamOrder(
        case=case,
        channel=order.channel,
        reference=order.reference,
        received_on=order.received_on,
        due_on=order.due_on or due.day,
        provisional=False if order.due_on else due.provisional,
        text=order.text[:20000],
        created_by=actor,
    )
    row._history_user = actor
    return row


def existing_order(*, channel: str, reference: str) -> UpstreamOrder | None:
    return (
        UpstreamOrder.objects.select_related("case")
        .filter(channel=channel, reference=reference)
        .first()
    )


def upstream_order_register(
    *, actor: User, order: WorkOrder, rules=None, calendar=None
) -> tuple[Case, bool]:
    """File the work order as a case, or find the case it already became.

    Idempotent on (channel, reference): a second registration (a re-imported file, an API
    retry, two staff at once) creates nothing and answers the first case, with False.
    Changes: the worker's account (found or created), a case (through case_file), the work
    order with its deadline. Sends what case_file sends (the team is told, after commit).
    Refuses a street or park the actor does not serve."""
    check_order(order, servable_ids=set(servable_units(actor).values_list("pk", flat=True)))
    found = existing_order(channel=order.channel, reference=order.reference)
    if found is not None:
        return found.case, False
    try:
        with transaction.atomic():
            worker = worker_get_or_create(
                actor=actor, mobile=order.worker_mobile, name=order.worker_name
            )
            case = case_file(
                actor=actor, worker=worker, channel=order.channel, complaint=order.complaint
            )
            order_row(actor=actor, order=order, case=case, rules=rules, calendar=calendar).save()
    except IntegrityError:
        # Someone registered the same reference a moment ago: theirs stands.
        found = existing_order(channel=order.channel, reference=order.reference)
        if found is None:
            raise
        return found.case, False
    return case, True


def upstream_orders_move(merged: Case, survivor: Case, actor: User) -> dict:
    """A merge's mover (casework.merging.services.MERGE_MOVERS): the merged case's work orders
    now belong to the survivor, so their replies are owed from it. Each row is saved on its
    own so that its history says who moved it and why."""
    moved = 0
    for order in UpstreamOrder.objects.select_for_update().filter(case=merged).order_by("pk"):
        order.case = survivor
        order._history_user = actor
        order._change_reason = f"merge: {merged.reference} → {survivor.reference}"
        order.save(update_fields=["case"])
        moved += 1
    return {"upstream_orders": moved} if moved else {}
