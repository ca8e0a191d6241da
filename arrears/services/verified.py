"""The verified amount (核定金额): what staff found the worker is owed, and on what basis."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from arrears.models import VerifiedAmount
from arrears.money import parse_amount
from arrears.services.common import VERIFIERS, parse_day, refuse_if_no_money, refuse_unless
from casework.cases.models import Case, Evidence
from casework.cases.services.handling import case_record_verified_amount
from casework.core.errors import ActionRefused
from casework.core.money import yuan
from casework.notifications.services import case_changed
from casework.organisation.models import User
from casework.timeline.choices import EventKind
from casework.timeline.events import ledger_event


def verified_amount_set(
    *,
    actor: User,
    case_id: int,
    amount,
    period_start,
    period_end,
    orders: str = "",
    deductions: str = "",
    evidence_ids=(),
    reason: str = "",
) -> VerifiedAmount:
    """Set (or change) the verified amount of a case with its basis: the orders counted, the
    deductions, the period, the evidence relied on. A change needs a reason.

    Changes: a new VerifiedAmount row, case.amount_verified (with a history row), a timeline
    entry the worker reads. Raises CaseNotFound or ActionRefused (nothing changed)."""
    amount = parse_amount(amount, allow_zero=True)
    start = parse_day(period_start, field="period_start")
    end = parse_day(period_end, field="period_end")
    if end < start:
        raise ActionRefused(_("The period ends before it starts."), field="period_end")
    orders, deductions, reason = ((text or "").strip() for text in (orders, deductions, reason))
    if len(orders) > 5000 or len(deductions) > 5000 or len(reason) > 2000:
        raise ActionRefused(_("That text is too long."))
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        refuse_unless(
            roles, VERIFIERS, _("Only a coordinator or an inspector on this case verifies it.")
        )
        refuse_if_no_money(case)
        if case.amount_verified is not None and not reason:
            raise ActionRefused(
                _("The verified amount is already %(amount)s: say why it changes.")
                % {"amount": yuan(case.amount_verified)},
                field="reason",
            )
        paid = case.amount_paid
        if case.amount_agreed is None and amount < paid:
            raise ActionRefused(
                _("%(paid)s has already been paid: the verified amount cannot be less.")
                % {"paid": yuan(paid)},
                field="amount",
            )
        wanted = {int(i) for i in evidence_ids} if evidence_ids else set()
        evidence = list(Evidence.objects.filter(case=case, pk__in=wanted)) if wanted else []
        if len(evidence) != len(wanted):
            raise ActionRefused(_("Choose evidence of this case."), field="evidence")
        row = VerifiedAmount.objects.create(
            case=case,
            amount=amount,
            orders=orders,
            deductions=deductions,
            period_start=start,
            period_end=end,
            reason=reason,
            set_by=actor,
        )
        row.evidence.set(evidence)
        case_record_verified_amount(actor=actor, case=case, amount=amount, reason=reason)
        ledger_event(
            case=case, actor=actor, kind=EventKind.AMOUNT_VERIFIED, detail=_words(amount, reason)
        )
        case_changed(case)
    return row


def _words(amount: Decimal, reason: str) -> str:
    return f"{yuan(amount)} · {reason}" if reason else yuan(amount)
