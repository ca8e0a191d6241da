"""Registering many work orders at once (a confirmed import): the checks of one, then the
cases filed set by set through the intake's bulk filing, the work orders in one INSERT."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from casework.cases.models import Case
from casework.channels.access import servable_units
from casework.channels.models import UpstreamOrder
from casework.channels.services import (
    WorkOrder,
    check_order,
    order_row,
    upstream_order_register,
)
from casework.core.audit_hook import rows_written
from casework.core.errors import ActionRefused
from casework.intake.bulk import Filing, case_file_many
from casework.intake.services import check_filing
from casework.organisation.models import User
from casework.organisation.services.workers import workers_get_or_create_many
from casework.organisation.validators import normalise_mainland_mobile
from casework.routing.router import NoTeamForJurisdiction


@dataclass
class Outcome:
    case: Case | None = None
    created: bool = False
    refusal: str = ""


def _refusal(exc) -> str:
    if isinstance(exc, ValidationError):
        return exc.messages[0]
    return getattr(exc, "message", None) or str(exc)


def upstream_orders_register_many(
    *, actor: User, orders: list[WorkOrder], rules, calendar
) -> list[Outcome]:
    """One outcome per order, in order: the case created, the case it already became, or why
    it is refused. Idempotent on (channel, reference) like upstream_order_register; if someone
    registers one of the numbers meanwhile, the batch falls back to registering one by one."""
    outcomes = [Outcome() for _order in orders]
    servable_ids = set(servable_units(actor).values_list("pk", flat=True))
    pending = []
    for index, order in enumerate(orders):
        try:
            check_order(order, servable_ids=servable_ids)
            order.worker_mobile = normalise_mainland_mobile(order.worker_mobile)
        except (ActionRefused, ValidationError) as exc:
            outcomes[index].refusal = _refusal(exc)
            continue
        pending.append(index)
    existing = {
        (row.channel, row.reference): row.case
        for row in UpstreamOrder.objects.select_related("case").filter(
            reference__in=[orders[i].reference for i in pending]
        )
    }
    fresh, first_of, repeats = [], {}, {}
    for index in pending:
        key = (orders[index].channel, orders[index].reference)
        if key in existing:
            outcomes[index].case = existing[key]
        elif key in first_of:
            repeats[index] = first_of[key]  # the same number twice in one batch
        else:
            first_of[key] = index
            fresh.append(index)
    try:
        with transaction.atomic():
            _file(actor, orders, fresh, outcomes, rules, calendar)
    except IntegrityError:
        for index in fresh:  # a number registered meanwhile: one by one, each idempotent
            outcomes[index] = Outcome()
            try:
                case, created = upstream_order_register(
                    actor=actor, order=orders[index], rules=rules, calendar=calendar
                )
                outcomes[index] = Outcome(case=case, created=created)
            except (ActionRefused, NoTeamForJurisdiction, ValidationError) as exc:
                outcomes[index].refusal = _refusal(exc)
    for index, first in repeats.items():
        outcomes[index] = Outcome(case=outcomes[first].case, refusal=outcomes[first].refusal)
    return outcomes


def _file(actor, orders, fresh, outcomes, rules, calendar) -> None:
    workers = workers_get_or_create_many(
        actor=actor, people=[(orders[i].worker_mobile, orders[i].worker_name) for i in fresh]
    )
    filings, filed = [], []
    for index in fresh:
        order = orders[index]
        filing = Filing(
            worker=workers[order.worker_mobile], channel=order.channel, complaint=order.complaint
        )
        try:
            check_filing(
                actor=actor, worker=filing.worker, complaint=filing.complaint, channel=order.channel
            )
        except ActionRefused as exc:
            outcomes[index].refusal = exc.message
            continue
        filings.append(filing)
        filed.append(index)
    try:
        cases = case_file_many(actor=actor, filings=filings)
    except NoTeamForJurisdiction as exc:
        for index in filed:
            outcomes[index].refusal = str(exc)
        return
    rows = [
        order_row(actor=actor, order=orders[index], case=case, rules=rules, calendar=calendar)
        for index, case in zip(filed, cases, strict=True)
    ]
    UpstreamOrder.objects.bulk_create(rows)
    rows_written(UpstreamOrder.history.bulk_history_create(rows, default_user=actor))
    for index, case in zip(filed, cases, strict=True):
        outcomes[index] = Outcome(case=case, created=True)
