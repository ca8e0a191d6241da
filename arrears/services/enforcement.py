"""Missed instalments, payment orders and the additional compensation (加付赔偿金).

The sweep (`ledger_sweep`, run with the deadline sweep) flags each instalment whose due date
passed unpaid, once, and tells the case's team and the worker; it marks payment orders whose
deadline passed: missed while money is outstanding (the team is told), complied otherwise."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.enforcement import MissedInstalment, PaymentOrder, PaymentOrderStatus
from arrears.models import Payment
from arrears.money import FEN, ZERO
from arrears.services.common import LEDGER_STAFF, parse_day, refuse_if_no_money, refuse_unless
from arrears.services.payments import BINDING
from casework.cases.models import Case
from casework.core.errors import ActionRefused, NotFound
from casework.core.money import yuan
from casework.core.system import system_user
from casework.notifications.audiences import team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify, notify_many
from casework.organisation.models import User
from casework.timeline.choices import EventKind
from casework.timeline.events import ledger_event
from platforms.webhooks.choices import EventType
from platforms.webhooks.emit import emit

BATCH = 1000


@dataclass
class LedgerSweepReport:
    instalments_missed: int = 0
    orders_missed: int = 0
    orders_complied: int = 0


def _instalments():
    return Payment._meta.get_field("instalment").related_model.objects


def ledger_sweep(*, today: date | None = None) -> LedgerSweepReport:
    """Flag missed instalments and payment orders (safe to run often, and in several copies:
    rows another sweep holds are skipped)."""
    today = today or timezone.localdate()
    report = LedgerSweepReport()
    # The candidates are read once (not re-queried per batch through the flag it sets), and
    # only those not paid in full: an instalment paid on time is never flagged, so without
    # this every pass would lock and re-read every instalment ever paid.
    candidates = list(
        _instalments()
        .filter(due_on__lt=today, line__agreement__status=BINDING, missed__isnull=True)
        .annotate(paid=Coalesce(Sum("payments__amount"), Value(ZERO)))
        .filter(paid__lt=F("amount"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(candidates), BATCH):
        report.instalments_missed += _flag_instalments(candidates[start : start + BATCH])
    orders = list(
        PaymentOrder.objects.filter(status=PaymentOrderStatus.OPEN, deadline__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for order_id in orders:
        outcome = _close_order(order_id)
        if outcome == PaymentOrderStatus.MISSED:
            report.orders_missed += 1
        elif outcome == PaymentOrderStatus.COMPLIED:
            report.orders_complied += 1
    return report


def _flag_instalments(ids: list[int]) -> int:
    actor = system_user()
    with transaction.atomic():
        rows = list(
            _instalments()
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, missed__isnull=True)
            .select_related("line__case__team", "line__case__worker")
        )
        # Flagging writes a row of its own and leaves the instalment's row as it was, so a
        # sweep that committed after this statement began is not seen by it (PostgreSQL
        # re-checks only rows that changed): ask again now that the rows are ours.
        flagged_since = set(
            MissedInstalment.objects.filter(instalment__in=rows).values_list(
                "instalment_id", flat=True
            )
        )
        rows = [row for row in rows if row.pk not in flagged_since]
        paid = dict(
            Payment.objects.filter(instalment__in=rows)
            .values("instalment_id")
            .annotate(total=Sum("amount"))
            .values_list("instalment_id", "total")
            .order_by()
        )
        flagged, notices, teams = [], [], {}
        for row in rows:
            unpaid = row.amount - (paid.get(row.pk) or ZERO)
            if unpaid <= 0:
                continue
            case = row.line.case
            flagged.append(MissedInstalment(instalment=row, case=case, unpaid=unpaid))
            params = {"amount": yuan(unpaid), "due": f"{row.due_on:%Y-%m-%d}"}
            ledger_event(
                case=case,
                actor=actor,
                kind=EventKind.INSTALMENT_MISSED,
                detail=f"{yuan(unpaid)} · {row.due_on:%Y-%m-%d}",
            )
            if case.team_id not in teams:
                teams[case.team_id] = team_members(case.team_id)
            recipients = [*teams[case.team_id], case.worker]
            notices.append((recipients, NotificationKind.INSTALMENT_MISSED, case, params))
        MissedInstalment.objects.bulk_create(flagged)
        notify_many(notices, sms=False)
        for case in {m.case.pk: m.case for m in flagged}.values():
            case_changed(case)
        _tell_the_employers(flagged)
    return len(flagged)


def _tell_the_employers(flagged: list[MissedInstalment]) -> None:
    """The webhook `instalment.due` to the endpoints of the companies the case names (after
    commit; one event per case of the batch, with every instalment it missed)."""
    if not flagged:
        return
    missed: dict[int, list[dict]] = {}
    for row in flagged:
        missed.setdefault(row.case.pk, []).append(
            {
                "id": row.instalment.pk,
                "due_on": f"{row.instalment.due_on:%Y-%m-%d}",
                "amount": f"{row.instalment.amount:.2f}",
                "unpaid": f"{row.unpaid:.2f}",
                "missed": True,
            }
        )
    emit(
        EventType.INSTALMENT_DUE,
        case_ids=list(missed),
        data={
            case_id: {"instalment": rows[0], "instalments": rows}
            for case_id, rows in missed.items()
        },
    )


def _close_order(order_id: int) -> str | None:
    with transaction.atomic():
        order = (
            PaymentOrder.objects.select_for_update(skip_locked=True)
            .filter(pk=order_id, status=PaymentOrderStatus.OPEN)
            .select_related("case__team")
            .first()
        )
        if order is None:
            return None
        case = order.case
        if case.amount_outstanding == 0 or case.outstanding_waived.strip():
            order.status = PaymentOrderStatus.COMPLIED
            order.save(update_fields=["status"])
            return order.status
        order.status, order.missed_at = PaymentOrderStatus.MISSED, timezone.now()
        order.save(update_fields=["status", "missed_at"])
        ledger_event(
            case=case,
            actor=system_user(),
            kind=EventKind.PAYMENT_ORDER_MISSED,
            detail=f"{yuan(case.amount_outstanding)} · {order.deadline:%Y-%m-%d}",
        )
        notify(
            recipients=team_members(case.team_id),
            kind=NotificationKind.INSTALMENT_MISSED,
            case=case,
            params={
                "amount": yuan(case.amount_outstanding),
                "due": f"{order.deadline:%Y-%m-%d}",
            },
        )
        case_changed(case)
        return order.status


class PaymentOrderNotFound(NotFound):
    """No such payment order on this case."""


def payment_order_issue(
    *, actor: User, case_id: int, deadline, reference: str = ""
) -> PaymentOrder:
    """Order the employer to pay what is outstanding by `deadline` (限期支付 / 支付令).

    Refused: nothing outstanding, an order already open, a deadline not between tomorrow and a
    year from now. Changes: a PaymentOrder, a timeline entry the worker reads."""
    deadline = parse_day(deadline, field="deadline")
    reference = (reference or "").strip()
    if len(reference) > 100:
        raise ActionRefused(_("The document number is at most 100 characters."), field="reference")
    today = timezone.localdate()
    if not today < deadline <= today + timedelta(days=366):
        raise ActionRefused(
            _("The deadline is between tomorrow and one year from now."), field="deadline"
        )
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        refuse_unless(roles, LEDGER_STAFF, _("Only staff on this case issue payment orders."))
        refuse_if_no_money(case)
        outstanding = case.amount_outstanding
        if outstanding == 0 or case.outstanding_waived.strip():
            raise ActionRefused(_("Nothing is outstanding on this case."))
        if case.payment_orders.filter(status=PaymentOrderStatus.OPEN).exists():
            raise ActionRefused(_("A payment order is already open on this case."))
        order = PaymentOrder.objects.create(
            case=case, reference=reference, amount=outstanding, deadline=deadline, issued_by=actor
        )
        ledger_event(
            case=case,
            actor=actor,
            kind=EventKind.PAYMENT_ORDER_ISSUED,
            detail=f"{yuan(outstanding)} · {deadline:%Y-%m-%d}",
        )
        case_changed(case)
    return order


def compensation_for(unpaid: Decimal, rate: int) -> Decimal:
    """加付赔偿金: `rate` percent of the unpaid amount, to the fen, half up."""
    return (unpaid * Decimal(rate) / 100).quantize(FEN, rounding=ROUND_HALF_UP)


def payment_order_compensate(*, actor: User, case_id: int, order_id: int, rate) -> PaymentOrder:
    """Once a payment order's deadline is missed, the officer picks a rate from 50 % to 100 %;
    Anxin computes the additional compensation on what is still unpaid (at most the amount
    ordered). It is shown apart from the wages and never counts as wages paid or owed.

    Changes: the order's rate, base and compensation; a timeline entry the worker reads."""
    try:
        rate = int(str(rate).strip())
    except (TypeError, ValueError):
        rate = None
    if rate is None or not 50 <= rate <= 100:
        raise ActionRefused(_("Pick a rate from 50 to 100 percent."), field="rate")
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        refuse_unless(roles, LEDGER_STAFF, _("Only staff on this case set compensation."))
        try:
            order = PaymentOrder.objects.select_for_update().get(pk=int(order_id), case=case)
        except (PaymentOrder.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
            raise PaymentOrderNotFound from exc
        if order.status != PaymentOrderStatus.MISSED:
            raise ActionRefused(
                _("Compensation is set once the payment order's deadline has been missed.")
            )
        if order.compensation is not None:
            raise ActionRefused(_("The compensation of this order is already set."))
        base = min(order.amount, case.amount_outstanding)
        order.compensation_rate, order.compensation_base = rate, base
        order.compensation, order.compensation_by = compensation_for(base, rate), actor
        order.save(
            update_fields=[
                "compensation_rate",
                "compensation_base",
                "compensation",
                "compensation_by",
            ]
        )
        ledger_event(
            case=case,
            actor=actor,
            kind=EventKind.PAYMENT_ORDER_MISSED,
            detail=_("additional compensation %(amount)s (%(rate)s%% of %(base)s)")
            % {"amount": yuan(order.compensation), "rate": rate, "base": yuan(base)},
        )
        case_changed(case)
    return order
