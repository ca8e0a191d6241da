from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.organisation.validators import validate_mainland_mobile
from platforms.choices import CompanyKind, Industry, ResponseChannel, ResponseKind
from platforms.validators import validate_uscc


class Company(models.Model):
    """A link in the employer chain: platform, operator, franchisee, agency or sub-contractor."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CompanyKind.choices)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_uscc],
    )
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("contracts for"),
        help_text=_("The company one level up the chain, e.g. the platform of an operator."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contractors",
    )
    response_working_days = models.PositiveSmallIntegerField(
        _("response time (working days)"),
        default=3,
        help_text=_("Service level for answering a complaint; platforms only."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.short_name or self.name


class Representative(models.Model):
    """A user who sees and answers complaints that name `company` (or its contractors)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="representations",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="representatives",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("platform representative")
        verbose_name_plural = _("platform representatives")
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="representative_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.company}"


class Invitation(models.Model):
    """A one-time link that makes whoever opens it first a representative of `company`.

    Only a hash of the link's token is kept: the link is shown once to the supervisor who made
    it and texted to the invitee."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="invitations"
    )
    name = models.CharField(_("name"), max_length=100)
    mobile = models.CharField(
        _("mobile number"), max_length=11, validators=[validate_mainland_mobile]
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} · {self.company}"


MONEY = {"max_digits": 12, "decimal_places": 2}


class EmployerResponse(models.Model):
    """A company's answer to the bureau's request to respond to a complaint: who answered,
    when, whether after the deadline, and what they propose. Never edited: a later answer is
    a new row (the bureau may ask again)."""

    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="employer_responses",
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="responses"
    )
    kind = models.CharField(_("answer"), max_length=10, choices=ResponseKind.choices)
    amount = models.DecimalField(_("amount offered"), **MONEY, null=True, blank=True)
    pay_by = models.DateField(_("to be paid by"), null=True, blank=True)
    reasons = models.TextField(_("reasons and remarks"), blank=True)
    channel = models.CharField(
        _("answered through"), max_length=10, choices=ResponseChannel.choices
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("answered"), auto_now_add=True)
    due_on = models.DateField(_("response due"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employer response")
        verbose_name_plural = _("employer responses")
        ordering = ["case", "responded_at", "pk"]
        indexes = [models.Index(fields=["company", "-responded_at"], name="response_company")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="response_amount_positive"
            )
        ]

    def __str__(self):
        return f"{self.case_id} · {self.company} · {self.get_kind_display()}"


class PlanInstalment(models.Model):
    """One payment of a plan an employer proposed (not yet agreed: agreements are mediation's)."""

    response = models.ForeignKey(
        EmployerResponse, on_delete=models.CASCADE, related_name="instalments"
    )
    position = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("to be paid by"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("proposed instalment")
        verbose_name_plural = _("proposed instalments")
        ordering = ["response", "position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "position"], name="plan_instalment_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="plan_instalment_positive"),
        ]

    def __str__(self):
        return f"{self.position}: {self.due_on} {self.amount}"


class EmployerQuestion(models.Model):
    """A representative's question to the bureau about a complaint, and the bureau's answer."""

    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="employer_questions",
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="questions"
    )
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question from an employer")
        verbose_name_plural = _("questions from employers")
        ordering = ["case", "asked_at", "pk"]

    def __str__(self):
        return self.question[:40]
