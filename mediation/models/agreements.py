from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mediation.choices import AgreementStatus, ParticipantSide, PaymentMethod, SignatureMethod

MONEY = {"max_digits": 12, "decimal_places": 2}


class Agreement(models.Model):
    """A mediation agreement (调解协议书): who pays whom, how much, by when.

    Binding once the worker(s), the employer and the mediator have all signed. Its instalments
    are the payment schedule the arrears ledger tracks.
    """

    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    group = models.ForeignKey(
        "casework.CaseGroup",
        verbose_name=_("collective group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    session = models.ForeignKey(
        "mediation.MediationSession",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    employer = models.ForeignKey(
        "platforms.Company", verbose_name=_("paying employer"), on_delete=models.PROTECT
    )
    employer_signatory = models.CharField(
        _("employer's legal representative or agent"), max_length=100
    )
    facts = models.TextField(_("facts and claims"))
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    waived_claims = models.TextField(_("claims the worker gives up"), blank=True)
    other_obligations = models.TextField(_("other obligations"), blank=True)
    performance_deadline = models.DateField(_("performance deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.SIGNING
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_up_at = models.DateTimeField(_("drawn up"), auto_now_add=True)
    binding_at = models.DateTimeField(_("binding since"), null=True, blank=True)
    void_reason = models.TextField(_("why it was voided"), blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The mediator confirmed, when drawing up, that an amount above the worker's claim (or the
    # verified amount) is right: the amounts it was compared with, per case id.
    above_claim_confirmed = models.JSONField(
        _("amounts above the claim, confirmed by the mediator"), default=dict, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")
        ordering = ["-drawn_up_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, group__isnull=True)
                | Q(case__isnull=True, group__isnull=False),
                name="agreement_for_case_or_group",
            ),
        ]

    def __str__(self):
        return f"{self.employer} · {self.drawn_up_at:%Y-%m-%d}" if self.drawn_up_at else "—"

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines.all()), Decimal("0.00"))


class AgreementLine(models.Model):
    """The amount agreed for one worker (one case)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="lines")
    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, related_name="agreement_lines"
    )
    amount = models.DecimalField(_("amount agreed"), **MONEY)

    class Meta:
        ordering = ["agreement", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "case"], name="agreement_line_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="agreement_line_positive"),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.amount}"


class Instalment(models.Model):
    """One scheduled payment to one worker: what the arrears ledger expects by a date."""

    line = models.ForeignKey(AgreementLine, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["line", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_positive"),
        ]

    def __str__(self):
        return f"{self.due_on}: {self.amount}"


class Signature(models.Model):
    """A party's signature: in person before the mediator, or a signed copy uploaded."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("mediation agreement"),
        on_delete=models.CASCADE,
        related_name="signatures",
    )
    side = models.CharField(_("side"), max_length=20, choices=ParticipantSide.choices)
    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("signed by"), max_length=100)
    method = models.CharField(_("how"), max_length=20, choices=SignatureMethod.choices)
    scan = models.FileField(_("signed copy"), upload_to="signatures/%Y/%m/", blank=True)
    scan_sha256 = models.CharField(_("signed copy fingerprint"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["agreement", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "case"],
                condition=Q(side=ParticipantSide.WORKER),
                name="worker_signs_once",
            ),
            models.UniqueConstraint(
                fields=["agreement", "side"],
                condition=~Q(side=ParticipantSide.WORKER),
                name="party_signs_once",
            ),
            models.CheckConstraint(
                condition=~Q(method=SignatureMethod.SCAN) | ~Q(scan=""), name="scan_has_file"
            ),
        ]

    def __str__(self):
        return f"{self.signer_name} ({self.side})"
