"""The bureau's governance work beside the complaints: hazard screenings (隐患排查) of companies
and their findings, special campaigns (专项整治) that group them, outreach lectures (劳动保障
大讲堂) and round tables (圆桌会) with the commitments made there.

Every row belongs to a unit (the street or park screened, the unit that organised a campaign
or a meeting): who may see and record it follows the unit tree (casework.governance.access)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from casework.governance.choices import CheckItem, ScreeningManner, ScreeningStatus

TEXT = 2000


class Campaign(models.Model):
    """A special rectification campaign: a target list of companies to screen in a period."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "casework.Unit", verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    targets = models.ManyToManyField(
        "platforms.Company", verbose_name=_("companies to screen"), related_name="+"
    )
    results = models.TextField(_("results"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The target list is not history-tracked: the audit chain follows rows, not m2m links.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_order"
            )
        ]

    def __str__(self):
        return self.name


class Screening(models.Model):
    """One screening of one company: its checklist (ScreeningFinding rows, one per item), a
    correction deadline in working days when something failed, and the re-inspection."""

    company = models.ForeignKey(
        "platforms.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    unit = models.ForeignKey(
        "casework.Unit",
        verbose_name=_("street or park"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    screened_on = models.DateField(_("screened on"))
    manner = models.CharField(_("manner"), max_length=10, choices=ScreeningManner.choices)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=ScreeningStatus.choices)
    correction_days = models.PositiveSmallIntegerField(
        _("working days to correct"), null=True, blank=True
    )
    correction_due = models.DateField(_("to be corrected by"), null=True, blank=True)
    due_is_provisional = models.BooleanField(default=False)
    reinspected_on = models.DateField(_("re-inspected on"), null=True, blank=True)
    reinspection_note = models.TextField(_("re-inspection"), blank=True)
    note = models.TextField(_("remarks"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hazard screening")
        verbose_name_plural = _("hazard screenings")
        ordering = ["-screened_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "-screened_on"], name="screening_unit_day"),
            models.Index(fields=["company", "-screened_on"], name="screening_company_day"),
        ]

    def __str__(self):
        return f"{self.company} · {self.screened_on}"


class ScreeningFinding(models.Model):
    """One checklist item of a screening: met, or a finding to correct (and when it was)."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="findings")
    item = models.CharField(_("item"), max_length=20, choices=CheckItem.choices)
    complies = models.BooleanField(_("complies"))
    note = models.CharField(_("what was found"), max_length=500, blank=True)
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("screening finding")
        verbose_name_plural = _("screening findings")
        ordering = ["screening", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "item"], name="finding_once_per_item")
        ]
        indexes = [
            models.Index(
                fields=["screening"],
                condition=Q(complies=False, corrected_on__isnull=True),
                name="finding_open",
            )
        ]

    def __str__(self):
        return f"{self.screening_id} {self.item}"

    @property
    def is_open(self) -> bool:
        return not self.complies and self.corrected_on is None


class Outreach(models.Model):
    """A labour-law lecture (劳动保障大讲堂) and whom it reached."""

    unit = models.ForeignKey(
        "casework.Unit", verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    companies_reached = models.PositiveIntegerField(_("companies reached"))
    workers_reached = models.PositiveIntegerField(_("workers reached"))
    note = models.TextField(_("remarks"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outreach lecture")
        verbose_name_plural = _("outreach lectures")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.topic


class RoundTable(models.Model):
    """A round-table meeting (圆桌会) of the bureau, platforms, operators and workers."""

    unit = models.ForeignKey(
        "casework.Unit", verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    participants = models.TextField(_("participants"))
    minutes = models.TextField(pgettext_lazy("meeting record", "minutes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("round table")
        verbose_name_plural = _("round tables")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.topic


class Commitment(models.Model):
    """Something a party promised at a round table, by a date; tracked until it is kept."""

    round_table = models.ForeignKey(
        RoundTable, on_delete=models.CASCADE, related_name="commitments"
    )
    company = models.ForeignKey(
        "platforms.Company",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    party = models.CharField(_("who promised"), max_length=200)
    promise = models.CharField(_("what was promised"), max_length=500)
    due_on = models.DateField(_("due"))
    kept_on = models.DateField(_("kept on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.promise[:40]
