"""What follows a missed payment date: the missed instalment (flagged once by the sweep), and
the payment order (限期支付 / 支付令) with its own deadline; once that deadline passes unpaid,
the additional compensation (加付赔偿金, 劳动合同法 §85) at the rate the officer picks,
50 % to 100 % of the unpaid amount, kept apart from the wages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class MissedInstalment(models.Model):
    """An instalment whose due date passed without the money: the sweep writes it once (its
    own flag, so the team and the worker are told once)."""

    instalment = models.OneToOneField(
        "mediation.Instalment", on_delete=models.PROTECT, related_name="missed"
    )
    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, related_name="missed_instalments"
    )
    unpaid = models.DecimalField(_("unpaid when missed"), **MONEY)
    flagged_at = models.DateTimeField(_("flagged"), auto_now_add=True)

    class Meta:
        verbose_name = _("missed instalment")
        verbose_name_plural = _("missed instalments")

    def __str__(self):
        return f"{self.case_id}: {self.unpaid}"


class PaymentOrderStatus(models.TextChoices):
    OPEN = "open", _("Open: waiting for the employer to pay")
    MISSED = "missed", _("Deadline missed")
    COMPLIED = "complied", _("Paid as ordered")


class PaymentOrder(models.Model):
    """An order to pay by a deadline (限期支付令 / 支付令) for what is outstanding on a case."""

    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, related_name="payment_orders"
    )
    reference = models.CharField(_("document number"), max_length=100, blank=True)
    amount = models.DecimalField(_("amount ordered"), **MONEY)
    deadline = models.DateField(_("pay by"))
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentOrderStatus.choices, default="open"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    missed_at = models.DateTimeField(null=True, blank=True)
    # 加付赔偿金: the rate the officer picked and the amount computed on what was unpaid.
    compensation_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    compensation_base = models.DecimalField(**MONEY, null=True, blank=True)
    compensation = models.DecimalField(_("additional compensation"), **MONEY, null=True, blank=True)
    compensation_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        ordering = ["case", "issued_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_order_positive"),
            models.CheckConstraint(
                condition=Q(compensation_rate__isnull=True)
                | Q(compensation_rate__gte=50, compensation_rate__lte=100),
                name="payment_order_rate_50_100",
            ),
        ]
        indexes = [
            models.Index(fields=["deadline"], condition=Q(status="open"), name="payment_order_open")
        ]

    def __str__(self):
        return f"{self.case_id}: {self.amount} by {self.deadline}"


class LedgerExport(models.Model):
    """Who exported which part of the ledger, with which filter, when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    fmt = models.CharField(max_length=5)
    filters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger export")
        verbose_name_plural = _("ledger exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
