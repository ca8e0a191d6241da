"""The terms of a mediation agreement, checked: amounts, the payment schedule, and amounts
above what the worker claimed (a warning the mediator confirms, a slip refused)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.core.bounds import check_date_bounds
from casework.core.errors import ActionRefused
from casework.core.money import yuan, yuan_digits
from mediation.choices import PaymentMethod

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000.00")
MAX_INSTALMENTS = 24


@dataclass
class AgreementTerms:
    facts: str
    employer_signatory: str
    payment_method: str
    performance_deadline: date
    # case id -> amount agreed for that worker
    amounts: dict[int, Decimal]
    # (due date, percent of each worker's amount)
    schedule: list[tuple[date, Decimal]]
    waived_claims: str = ""
    other_obligations: str = ""
    session_id: int | None = None  # the held session it rests on (default: the latest held)
    # The mediator ticked "I have checked...": an amount above the claim (or the verified
    # amount) is meant.
    above_claim_confirmed: bool = False


def _money(value) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ActionRefused(
            _("Amounts are numbers of yuan, like 1200.50."), field="amounts"
        ) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ActionRefused(
            _("Each amount must be more than 0 and at most %(max)s yuan.") % {"max": MAX_AMOUNT},
            field="amounts",
        )
    if amount != amount.quantize(CENT):
        raise ActionRefused(_("Amounts have at most two decimals."), field="amounts")
    return amount.quantize(CENT)


def check_terms(cases: list[Case], terms: AgreementTerms) -> dict[int, Decimal]:
    check_date_bounds(performance_deadline=terms.performance_deadline)
    for due, _share in terms.schedule:
        check_date_bounds(schedule=due)
    if not terms.facts.strip():
        raise ActionRefused(_("State the facts and the claims."), field="facts")
    if not terms.employer_signatory.strip():
        raise ActionRefused(
            _("Name the employer's legal representative or agent."), field="employer_signatory"
        )
    if terms.payment_method not in PaymentMethod.values:
        raise ActionRefused(_("Choose how the money is paid."), field="payment_method")
    case_ids = {c.pk for c in cases}
    unknown = set(terms.amounts) - case_ids
    if unknown:
        raise ActionRefused(
            _("An amount was given for a case outside this mediation."), field="amounts"
        )
    amounts = {case_id: _money(value) for case_id, value in terms.amounts.items()}
    if set(amounts) != case_ids:
        raise ActionRefused(_("Give the agreed amount for every worker."), field="amounts")
    today = timezone.localdate()
    if not today <= terms.performance_deadline <= today + timedelta(days=366):
        raise ActionRefused(
            _("The performance deadline is between today and one year from now."),
            field="performance_deadline",
        )
    schedule = terms.schedule
    if not 1 <= len(schedule) <= MAX_INSTALMENTS:
        raise ActionRefused(
            _("Give between 1 and %(n)d payment dates.") % {"n": MAX_INSTALMENTS}, field="schedule"
        )
    dates = [due for due, _share in schedule]
    if dates != sorted(set(dates)):
        raise ActionRefused(_("Payment dates must be different and in order."), field="schedule")
    if dates[0] < today or dates[-1] > terms.performance_deadline:
        raise ActionRefused(
            _("Payment dates fall between today and the performance deadline."), field="schedule"
        )
    shares = [share for _due, share in schedule]
    if any(not share.is_finite() or share <= 0 for share in shares) or sum(shares) != 100:
        raise ActionRefused(_("The shares of the payments add up to 100%."), field="schedule")
    return amounts


# An amount ten times what the worker claimed (or what was verified) is a slip of the keyboard,
# not a settlement: refused even when confirmed.
ABSURD_FACTOR = 10


def claim_reference(case: Case) -> tuple[Decimal, str] | None:
    """What an agreed amount is compared with: the verified amount if set, else the claim
    (None when the worker named no amount)."""
    if case.amount_verified is not None:
        return case.amount_verified, "verified"
    if case.amount_claimed:
        return case.amount_claimed, "claimed"
    return None


def amounts_above_claim(cases: list[Case], amounts: dict[int, Decimal]) -> dict[int, dict]:
    """Per case whose agreed amount exceeds its reference: the amounts, as stored and shown."""
    above = {}
    for case in cases:
        reference = claim_reference(case)
        amount = amounts.get(case.pk)
        if reference is None or amount is None or amount <= reference[0]:
            continue
        if amount > reference[0] * ABSURD_FACTOR:
            raise ActionRefused(
                _(
                    "¥%(amount)s for %(worker)s is more than ten times the ¥%(reference)s "
                    "claimed or verified: check the figure."
                )
                % {
                    "amount": yuan_digits(amount),
                    "worker": case.worker_name,
                    "reference": yuan_digits(reference[0]),
                },
                field="amounts",
            )
        above[case.pk] = {"agreed": str(amount), reference[1]: str(reference[0])}
    return above


def above_claim_refusal(cases: list[Case], above: dict[int, dict]) -> ActionRefused:
    names = {case.pk: case.worker_name for case in cases}
    parts = []
    for case_id, figures in above.items():
        if "verified" in figures:
            parts.append(
                _("%(worker)s: ¥%(agreed)s agreed, ¥%(reference)s verified")
                % {
                    "worker": names[case_id],
                    "agreed": yuan_digits(figures["agreed"]),
                    "reference": yuan_digits(figures["verified"]),
                }
            )
        else:
            parts.append(
                _("%(worker)s: ¥%(agreed)s agreed, ¥%(reference)s claimed")
                % {
                    "worker": names[case_id],
                    "agreed": yuan_digits(figures["agreed"]),
                    "reference": yuan_digits(figures["claimed"]),
                }
            )
    return ActionRefused(
        _(
            "The agreed amount is more than the worker asked for or than was verified "
            "(%(details)s). If that is right, tick the box to confirm you have checked it."
        )
        % {"details": "; ".join(parts)},
        field="above_claim_confirmed",
    )


def split_by_schedule(amount: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """Instalment amounts to the cent; the last takes the rounding so they add up exactly."""
    parts = [(amount * share / 100).quantize(CENT, rounding=ROUND_HALF_UP) for share in shares[:-1]]
    parts.append(amount - sum(parts, Decimal("0.00")))
    if any(part <= 0 for part in parts):
        raise ActionRefused(
            _("%(amount)s is too little to split into these payments.") % {"amount": yuan(amount)},
            field="schedule",
        )
    return parts
