from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from arrears.choices import CONFIRMED_STATUSES, PaymentMethod, PaymentSource, PaymentStatus


def proof_path(instance, filename: str) -> str:
    return f"payments/{instance.case_id}/{instance.proof_sha256}"


class Payment(models.Model):
    """Money paid to the worker on a case. Append-only: the amount, date and method are never
    edited; a correction is a new row that reverses one (negative, with a reason). Only the
    worker's confirmation (`status`) moves, with its history."""

    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(
        _("how it was paid"), max_length=20, choices=PaymentMethod.choices, default="other"
    )
    source = models.CharField(
        _("source"), max_length=10, choices=PaymentSource.choices, default="staff"
    )
    instalment = models.ForeignKey(
        "mediation.Instalment",
        verbose_name=_("instalment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    proof = models.FileField(_("proof"), upload_to=proof_path, max_length=200, blank=True)
    proof_sha256 = models.CharField(max_length=64, blank=True)
    proof_content_type = models.CharField(max_length=50, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        _("confirmation"),
        max_length=20,
        choices=PaymentStatus.choices,
        default=PaymentStatus.AWAITING,
    )
    status_note = models.CharField(_("what the worker said"), max_length=500, blank=True)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["case", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="payment_not_zero"),
            # A payment is positive; only a reversal (of one payment) is negative.
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0)
                | Q(reverses__isnull=False, amount__lt=0),
                name="payment_sign_by_kind",
            ),
        ]
        indexes = [
            # The payments not yet confirmed (few): the employer pages take them off the paid
            # sum to show confirmed money (arrears.employer_extras).
            models.Index(
                fields=["case"],
                condition=Q(status__in=["awaiting", "not_received"]),
                name="payment_unconfirmed",
            ),
            # Amount recovered in a period (the supervisor dashboard), without the table.
            # (All key columns: SQLite has no INCLUDE, and a warning would fail `check`.)
            models.Index(fields=["paid_on", "case", "amount"], name="payment_paid_on"),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def is_confirmed(self) -> bool:
        return self.status in CONFIRMED_STATUSES


class VerifiedAmount(models.Model):
    """The amount owed as staff verified it (核定金额), with its basis. Append-only: the latest
    row is the case's verified amount (kept on the case as amount_verified); a change is a new
    row with the reason for it."""

    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="verified_amounts",
    )
    amount = models.DecimalField(_("verified amount"), max_digits=12, decimal_places=2)
    orders = models.TextField(_("orders counted"), blank=True)
    deductions = models.TextField(_("deductions found unlawful or lawful"), blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    evidence = models.ManyToManyField(
        "casework.Evidence", verbose_name=_("evidence"), blank=True, related_name="+"
    )
    reason = models.TextField(_("reason for the change"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("verified amount")
        verbose_name_plural = _("verified amounts")
        ordering = ["case", "-set_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="verified_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="verified_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.amount}"


# The ledger rollup ----------------------------------------------------------------------------
#
# Employer totals add up claims and payments over every case that names a company: hundreds of
# thousands of rows, too many to add up on each page view. These four tables keep the sums as
# the cases change. PostgreSQL writes them, from triggers on cases, parties, payments, missed
# instalments and payment orders (migrations 0004, 0014): every write path keeps them right,
# the services of every app, the admin, bulk loads (which then call arrears_ledger_rebuild()).
# Python never writes them. On SQLite (the embedded default, small data) they stay empty and
# the selectors add up the cases themselves.

MONEY = {"max_digits": 16, "decimal_places": 2}
# Rollup rows name cases, companies, places, teams and workers by key only: the triggers keep
# them, so no constraint, no index of its own, no reverse accessor.
ROLLUP_KEY = {
    "on_delete": models.DO_NOTHING,
    "db_constraint": False,
    "db_index": False,
    "related_name": "+",
}


def _rollup_key(to) -> models.ForeignKey:
    return models.ForeignKey(to, **ROLLUP_KEY)


class LedgerLine(models.Model):
    """One case as seen from one company it names: the case's amounts, and the keys that
    decide who may see it (street or park, team, worker)."""

    case = _rollup_key("casework.Case")
    company = _rollup_key("platforms.Company")
    jurisdiction = _rollup_key("casework.Unit")
    team = _rollup_key("casework.Team")
    worker = _rollup_key(settings.AUTH_USER_MODEL)
    claimed = models.DecimalField(**MONEY)
    verified = models.DecimalField(**MONEY, null=True)
    agreed = models.DecimalField(**MONEY, null=True)
    paid = models.DecimalField(**MONEY)
    outstanding = models.DecimalField(**MONEY)
    # What the employer pages show beside the sums, kept here so that they add up like them
    # (migration 0014): payments not confirmed yet, the claim when nothing is verified or
    # agreed (1 case, its claim; else 0), missed instalments still not paid in full, open
    # payment orders.
    unconfirmed = models.DecimalField(**MONEY, default=0)
    unverified_cases = models.PositiveIntegerField(default=0)
    unverified_claimed = models.DecimalField(**MONEY, default=0)
    missed_instalments = models.PositiveIntegerField(default=0)
    open_orders = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "company"], name="ledgerline_case_company")
        ]
        indexes = [
            # One company's cases, largest balance first (the company page).
            models.Index(
                fields=["company", "-outstanding", "-case"], name="ledgerline_company_owed"
            ),
            # Distinct workers of a company within a scope.
            models.Index(
                fields=["company", "worker", "jurisdiction", "team"],
                name="ledgerline_company_worker",
            ),
        ]

    def __str__(self):
        return f"{self.case_id}/{self.company_id}: {self.outstanding}"


class _Sums(models.Model):
    cases = models.PositiveIntegerField(default=0)
    claimed = models.DecimalField(**MONEY, default=0)
    verified = models.DecimalField(**MONEY, default=0)
    agreed = models.DecimalField(**MONEY, default=0)
    paid = models.DecimalField(**MONEY, default=0)
    outstanding = models.DecimalField(**MONEY, default=0)
    unconfirmed = models.DecimalField(**MONEY, default=0)
    unverified_cases = models.PositiveIntegerField(default=0)
    unverified_claimed = models.DecimalField(**MONEY, default=0)
    missed_instalments = models.PositiveIntegerField(default=0)
    open_orders = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class EmployerBalance(_Sums):
    """Sums of one company's ledger lines per street or park and team: the keys a scope
    selects. (Distinct workers do not add up across keys: EmployerTotal has them.)"""

    company = _rollup_key("platforms.Company")
    jurisdiction = _rollup_key("casework.Unit")
    team = _rollup_key("casework.Team")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "jurisdiction", "team"], name="employerbalance_key"
            )
        ]

    def __str__(self):
        return f"{self.company_id}/{self.jurisdiction_id}/{self.team_id}: {self.outstanding}"


class EmployerTotal(_Sums):
    """Sums of all of one company's ledger lines, with its distinct workers."""

    company = models.OneToOneField("platforms.Company", **ROLLUP_KEY)
    workers = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-outstanding", "-company"], name="employertotal_owed")]

    def __str__(self):
        return f"{self.company_id}: {self.outstanding}"


class EmployerWorker(models.Model):
    """How many ledger lines link a worker to a company: a worker counts once per company."""

    company = _rollup_key("platforms.Company")
    worker = _rollup_key(settings.AUTH_USER_MODEL)
    lines = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "worker"], name="employerworker_key")
        ]

    def __str__(self):
        return f"{self.company_id}/{self.worker_id}: {self.lines}"


class DayFigures(models.Model):
    """Per day (Beijing time) and street or park: cases closed (each time a case leaves the
    open states), escalations, and the amount recovered (payments, by the day paid), which the
    supervisor dashboard adds up over a period. Kept by PostgreSQL triggers on timeline events,
    payments and a case's street (migration 0006); empty on SQLite, where the dashboard counts
    the events and payments themselves."""

    day = models.DateField()
    jurisdiction = _rollup_key("casework.Unit")
    # Plain integers: a correction may take a day below zero for a moment.
    closed = models.IntegerField(default=0)
    escalations = models.IntegerField(default=0)
    recovered = models.DecimalField(**MONEY, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "day"], name="dayfigures_key")
        ]

    def __str__(self):
        return f"{self.day} {self.jurisdiction_id}"


from arrears.enforcement import (  # noqa: E402  (models of the app)
    LedgerExport,
    MissedInstalment,
    PaymentOrder,
)

__all__ = [
    "DayFigures",
    "EmployerBalance",
    "EmployerTotal",
    "EmployerWorker",
    "LedgerExport",
    "LedgerLine",
    "MissedInstalment",
    "Payment",
    "PaymentOrder",
    "VerifiedAmount",
]
