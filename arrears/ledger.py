"""The ledger of one case, in plain words: claimed, verified (with its basis), agreed, each
instalment with its due date and state, the payments with the worker's confirmations, what is
paid, confirmed and outstanding. Read for a user who may see the case (others: CaseNotFound).

A fixed number of queries whatever the number of payments, sent together in one round trip
on PostgreSQL: the verified amount with its files' keys, the payments with their instalments,
the instalments, the payment orders; then the verified amount's files where the caller has not
read them. The case page passes the files it has read and a case that says what it has
(casework.cases.selectors): a list the case has no rows of is not read."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from arrears.choices import CONFIRMED_STATUSES, PaymentStatus
from arrears.models import Payment, PaymentOrder, VerifiedAmount
from arrears.money import ZERO
from arrears.services.common import LEDGER_STAFF, NO_MONEY_STATES, VERIFIERS
from arrears.services.payments import BINDING
from casework.cases.models import Case, Evidence
from casework.core import kept_sql
from casework.core.access import case_roles, visible_cases_q
from casework.core.errors import CaseNotFound
from casework.core.roles import Role
from casework.organisation.access import scope_for
from casework.organisation.models import User

INSTALMENT_STATES = {
    "paid": _("Paid"),
    "part_paid": _("Partly paid"),
    # Not the queue's "Due" column (到期日): the state of an instalment not paid yet.
    "due": pgettext_lazy("instalment", "Due"),
    "overdue": _("Overdue"),
    "missed": _("Missed: the team has been told"),
}


@dataclass
class InstalmentRow:
    instalment: object
    due_on: date
    amount: Decimal
    paid: Decimal
    state: str

    @property
    def state_label(self) -> str:
        return str(INSTALMENT_STATES[self.state])


@dataclass
class PaymentRow:
    payment: Payment
    corrected_by: Payment | None = None

    @property
    def is_live(self) -> bool:
        return not self.payment.is_reversal and self.corrected_by is None

    @property
    def awaits_worker(self) -> bool:
        return self.is_live and self.payment.status in (
            PaymentStatus.AWAITING,
            PaymentStatus.NOT_RECEIVED,
            PaymentStatus.PROOF_VERIFIED,
        )


@dataclass
class CaseLedger:
    case: Case
    roles: frozenset
    verified_row: VerifiedAmount | None
    verified_evidence: list[Evidence] = field(default_factory=list)  # its basis, by key
    payments: list[PaymentRow] = field(default_factory=list)
    instalments: list[InstalmentRow] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)  # on the ledger page, for staff
    payment_orders: list[PaymentOrder] = field(default_factory=list)

    @property
    def compensation(self) -> Decimal:
        """加付赔偿金 set on missed payment orders: owed on top of the wages, shown apart."""
        return sum((o.compensation for o in self.payment_orders if o.compensation), ZERO)

    @property
    def can_issue_order(self) -> bool:
        return (
            self.can_record
            and self.outstanding > 0
            and not any(o.status == "open" for o in self.payment_orders)
        )

    @property
    def claimed(self) -> Decimal:
        return self.case.amount_claimed

    @property
    def verified(self) -> Decimal | None:
        return self.case.amount_verified

    @property
    def agreed(self) -> Decimal | None:
        return self.case.amount_agreed

    @property
    def unverified(self) -> bool:
        """Nothing verified or agreed yet: what is owed is the worker's claim."""
        return self.agreed is None and self.verified is None

    @property
    def owed(self) -> Decimal:
        return self.case.amount_owed

    @property
    def paid(self) -> Decimal:
        return sum((row.payment.amount for row in self.payments), ZERO)

    @property
    def confirmed(self) -> Decimal:
        """Recovered: payments the worker confirmed or whose proof staff checked (less their
        corrections)."""
        return sum(
            (r.payment.amount for r in self.payments if r.payment.status in CONFIRMED_STATUSES),
            ZERO,
        )

    @property
    def reported(self) -> Decimal:
        """Paid but not (yet) confirmed: the employer's or staff's word only."""
        return self.paid - self.confirmed

    @property
    def outstanding(self) -> Decimal:
        if self.case.outstanding_waived.strip():
            return ZERO
        return max(ZERO, self.owed - self.paid)

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & LEDGER_STAFF)

    @property
    def is_worker(self) -> bool:
        return Role.WORKER in self.roles

    @property
    def can_record(self) -> bool:
        return self.is_staff and self.case.state not in NO_MONEY_STATES

    @property
    def can_verify(self) -> bool:
        return bool(self.roles & VERIFIERS) and self.case.state not in NO_MONEY_STATES

    @property
    def live_payments(self) -> list[PaymentRow]:
        return [row for row in self.payments if row.is_live]


def ledger_case_for_user(*, user: User, case_id) -> Case:
    """The case, if the user may see it (a form's own errors are not shown to anyone else:
    they answer 404 first)."""
    scope = scope_for(user)
    try:
        case = Case.objects.filter(visible_cases_q(scope)).get(pk=int(case_id))
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc
    return case


def case_ledger_for_user(*, user: User, case_id) -> CaseLedger:
    """The ledger page: CaseNotFound for a case the user may not see."""
    scope = scope_for(user)
    try:
        case = (
            Case.objects.filter(visible_cases_q(scope))
            .select_related("team", "jurisdiction")
            .get(pk=int(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc
    ledger = case_ledger(user=user, case=case)
    if ledger.can_verify:
        ledger.evidence = list(Evidence.objects.filter(case=case).order_by("pk"))
    return ledger


def case_ledger(*, user: User, case: Case) -> CaseLedger:
    """The ledger of a case a selector already let the user see (the case pages)."""
    roles = case_roles(scope_for(user), case)
    if not roles:
        raise CaseNotFound
    return ledger_with_roles(case=case, roles=roles)


def ledger_with_roles(
    *,
    case: Case,
    roles: frozenset,
    case_evidence: list[Evidence] | None = None,
    found: dict[str, list] | None = None,
) -> CaseLedger:
    """The ledger of a case for someone already found to hold `roles` on it (the employer's
    representative, through platforms' scope; the case page, with the case's files it has
    read as `case_evidence` and the rows of `ledger_reads` it has read with its own as
    `found`). Its tables are read in one round trip (core/kept_sql.py)."""
    if found is None:
        reads = ledger_reads(case)
        found = dict(zip(reads, kept_sql.fetch_together(*reads.values()), strict=True))
    verified_row = next(iter(found.get("ledger: verified", [])), None)
    rows = found.get("ledger: payments", [])
    corrections = {p.reverses_id: p for p in rows if p.reverses_id}
    return CaseLedger(
        case=case,
        roles=roles,
        verified_row=verified_row,
        verified_evidence=_verified_evidence(verified_row, case_evidence or []),
        payments=[PaymentRow(p, corrections.get(p.pk)) for p in rows],
        instalments=_instalment_rows(found.get("ledger: instalments", []), rows),
        payment_orders=found.get("ledger: payment orders", []),
    )


def ledger_reads(case: Case) -> dict[str, kept_sql.Read]:
    """What the ledger of `case` reads, by name (the case page sends them with its own:
    casework.cases.selectors.CASE_PAGE_PANEL_READS). A list the case says it has no rows of
    is not read."""
    reads = {}
    if case.amount_verified is not None:
        reads["ledger: verified"] = kept_sql.Read("ledger: verified", _latest_verified, (case.pk,))
    # The case page's case says None when it has no payment row (its `paid_total`).
    if getattr(case, "paid_total", 0) is not None:
        reads["ledger: payments"] = kept_sql.Read("ledger: payments", _payments, (case.pk,))
    if case.amount_agreed is not None:
        reads["ledger: instalments"] = kept_sql.Read(
            "ledger: instalments", _instalments_of, (case.pk,)
        )
    if getattr(case, "has_payment_orders", True):
        reads["ledger: payment orders"] = kept_sql.Read(
            "ledger: payment orders", _orders, (case.pk,)
        )
    return reads


def _latest_verified(case_id: int):
    # The keys of its files come with the row.
    return (
        VerifiedAmount.objects.filter(case_id=case_id)
        .select_related("set_by")
        .annotate(evidence_keys=RawSQL(_evidence_keys_sql(), ()))[:1]  # noqa: S611
    )


def _payments(case_id: int):
    # Not who recorded or confirmed them: that is on the history page.
    return (
        Payment.objects.filter(case_id=case_id)
        .select_related("instalment")
        .order_by("paid_on", "pk")
    )


def _instalments_of(case_id: int):
    model = Payment._meta.get_field("instalment").related_model
    return (
        model.objects.filter(line__case_id=case_id, line__agreement__status=BINDING)
        .select_related("missed")
        .order_by("due_on", "pk")
    )


def _orders(case_id: int):
    return PaymentOrder.objects.filter(case_id=case_id).order_by("issued_at", "pk")


def _verified_evidence(row: VerifiedAmount | None, case_evidence: list[Evidence]) -> list:
    """The files the verified amount relies on, by key: those the page has read already."""
    if row is None or not row.evidence_keys:
        return []
    wanted = sorted(int(key) for key in row.evidence_keys.split(","))
    files = {e.pk: e for e in case_evidence}
    if not files.keys() >= set(wanted):
        # Not read by the caller, or a merge or a split moved some of them to another case
        # (the row still names them).
        files |= Evidence.objects.in_bulk(wanted)
    return [files[pk] for pk in wanted]


@cache
def _evidence_keys_sql() -> str:
    """The keys of a verified amount's files, joined by commas. Plain SQL: the same subquery
    built from ORM expressions cost a millisecond of Python on each case page."""
    qn = connection.ops.quote_name
    through = VerifiedAmount.evidence.through._meta
    postgres = connection.vendor == "postgresql"
    joined = "STRING_AGG(CAST({} AS TEXT), ',')" if postgres else "GROUP_CONCAT({}, ',')"
    key = qn(through.get_field("evidence").column)
    row = f"{qn(VerifiedAmount._meta.db_table)}.{qn(VerifiedAmount._meta.pk.column)}"
    # Quoted table and column names of our own models; no value from outside.
    return (
        f"(SELECT {joined.format(key)} FROM {qn(through.db_table)} "  # noqa: S608
        f"WHERE {qn(through.get_field('verifiedamount').column)} = {row})"
    )


def _instalment_rows(instalments: list, payments: list[Payment]) -> list[InstalmentRow]:
    today = timezone.localdate()
    paid: dict[int, Decimal] = {}
    for payment in payments:
        if payment.instalment_id:
            paid[payment.instalment_id] = paid.get(payment.instalment_id, ZERO) + payment.amount
    rows = []
    for instalment in instalments:
        towards = paid.get(instalment.pk, ZERO)
        if towards >= instalment.amount:
            state = "paid"
        elif hasattr(instalment, "missed"):
            state = "missed"
        elif instalment.due_on < today:
            state = "overdue"
        elif towards > 0:
            state = "part_paid"
        else:
            state = "due"
        rows.append(InstalmentRow(instalment, instalment.due_on, instalment.amount, towards, state))
    return rows


def payment_proof_for_user(*, user: User, case_id, payment_id) -> Payment:
    """A payment's proof file, for staff on the case and its worker; CaseNotFound otherwise."""
    scope = scope_for(user)
    try:
        payment = Payment.objects.select_related("case__team").get(
            pk=int(payment_id),
            case_id=int(case_id),
            case__in=Case.objects.filter(visible_cases_q(scope)),
        )
    except (Payment.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc
    if not payment.proof or not case_roles(scope, payment.case):
        raise CaseNotFound
    return payment
