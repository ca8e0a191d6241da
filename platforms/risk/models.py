"""Employer risk: the rules that turn signals into points and points into a level (data that
administrators edit), each company's current level with the reasons, and its history."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from platforms.risk.choices import RiskLevel, Signal


class RiskRule(models.Model):
    """A signal reaching `threshold` adds `points`. Several rules of one signal make steps: the
    highest step reached counts (e.g. arrears from 10,000 yuan: 20; from 100,000: 40)."""

    signal = models.CharField(_("signal"), max_length=30, choices=Signal.choices)
    threshold = models.DecimalField(_("from"), max_digits=14, decimal_places=2)
    points = models.PositiveSmallIntegerField(_("points"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk rule")
        verbose_name_plural = _("risk rules")
        ordering = ["signal", "threshold"]
        constraints = [
            models.UniqueConstraint(fields=["signal", "threshold"], name="risk_rule_once"),
            models.CheckConstraint(condition=models.Q(threshold__gt=0), name="risk_rule_positive"),
        ]

    def __str__(self):
        return f"{self.get_signal_display()} ≥ {self.threshold}: {self.points}"


class RiskBand(models.Model):
    """The points from which a company is at `level`."""

    level = models.CharField(
        _("level"),
        max_length=10,
        unique=True,
        choices=[c for c in RiskLevel.choices if c[0] != RiskLevel.NONE],
    )
    min_points = models.PositiveSmallIntegerField(_("from points"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk level band")
        verbose_name_plural = _("risk level bands")
        ordering = ["-min_points"]

    def __str__(self):
        return f"{self.get_level_display()} ≥ {self.min_points}"


class CompanyRisk(models.Model):
    """A company's level as the sweep last computed it, with every signal's value and the
    rules that gave points (`reasons`: [{"signal", "value", "threshold", "points"}])."""

    company = models.OneToOneField(
        "platforms.Company",
        primary_key=True,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.NONE
    )
    points = models.PositiveIntegerField(_("points"), default=0)
    values = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    # The street or park where most of its complaints of the last year came from (filters and
    # a street supervisor's view).
    street = models.ForeignKey(
        "casework.Unit",
        verbose_name=_("street or park"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed"), null=True)
    level_since = models.DateTimeField(_("at this level since"), null=True)

    class Meta:
        verbose_name = _("employer risk")
        verbose_name_plural = _("employer risks")
        indexes = [models.Index(fields=["level", "-points"], name="risk_level_points")]

    def __str__(self):
        return f"{self.company_id}: {self.level}"


class CompanyRiskChange(models.Model):
    """One change of a company's level, with the reasons at the time."""

    company = models.ForeignKey(
        "platforms.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    previous = models.CharField(_("from"), max_length=10, choices=RiskLevel.choices)
    level = models.CharField(_("to"), max_length=10, choices=RiskLevel.choices)
    points = models.PositiveIntegerField(_("points"))
    reasons = models.JSONField(default=list)
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("risk level change")
        verbose_name_plural = _("risk level changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["company", "-changed_at"], name="risk_change_company")]

    def __str__(self):
        return f"{self.company_id}: {self.previous} → {self.level}"
