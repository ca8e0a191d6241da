"""The official working-day calendar and the statutory clocks of a case."""

import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.core.language import in_reader_language, reader_reads_english
from casework.timeline import models as timeline


class CalendarYear(models.Model):
    """A year whose holidays and make-up workdays are known (published by the State Council)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=100, default="chinese-calendar")
    # The calendar decides every due date: who loaded or changed it is part of the audit.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to Monday-to-Friday: a public holiday, or a weekend make-up workday (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked for a make-up workday on a weekend.")
    )
    name = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    name_en = models.CharField(
        _("name (English)"), max_length=100, blank=True, help_text=_("Empty: the Chinese name.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday or make-up workday")
        verbose_name_plural = _("holidays and make-up workdays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.localized_name}"

    @property
    def localized_name(self) -> str:
        return in_reader_language(self.name, self.name_en)


class DayUnit(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


class DeadlineRule(models.Model):
    """One statutory (or service-level) clock, as data an admin can edit (DOMAIN.md): its
    length, unit, extension and warning. Which step of a case starts and meets it is the
    lifecycle's (casework/clocks/paths.py)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(
        _("name (English)"), max_length=100, blank=True, help_text=_("Empty: the Chinese name.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    length = models.PositiveSmallIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=10, choices=DayUnit.choices)
    extension_length = models.PositiveSmallIntegerField(
        _("extension (same unit)"), null=True, blank=True
    )
    warn_before = models.PositiveSmallIntegerField(
        _("warn this many days before (same unit)"), default=1
    )
    escalate_on_breach = models.BooleanField(_("escalate when breached"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["key"]

    def __str__(self):
        return self.localized_name

    @property
    def localized_name(self) -> str:
        return in_reader_language(self.name, self.name_en)


class DeadlineStatus(models.TextChoices):
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    MET = "met", _("met")
    BREACHED = "breached", _("met late")
    CANCELLED = "cancelled", _("no longer applies")


class Deadline(models.Model):
    """A clock running on one case. `due_on` is recomputed from pauses and extensions."""

    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="deadlines"
    )
    rule = models.ForeignKey(
        DeadlineRule, verbose_name=_("deadline rule"), on_delete=models.PROTECT, related_name="+"
    )
    length = models.PositiveSmallIntegerField(_("length"))
    started_on = models.DateField(_("started"))
    due_on = models.DateField(_("due"))
    warn_on = models.DateField(_("warn from"))
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Part of the period lies in a year without an official calendar yet."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.RUNNING
    )
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)
    # Set by the sweep when the due date passes; the clock stays open (overdue) until the
    # case does what meets it, and is then closed as breached (met late).
    breached_at = models.DateTimeField(_("missed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalated = models.BooleanField(_("escalated"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "pk"]
        indexes = [
            # A case's nearest running clock, asked for every queue row.
            models.Index(
                fields=["case", "due_on"], condition=Q(status="running"), name="deadline_case_next"
            ),
            # The sweep's two questions, over open clocks only.
            models.Index(
                fields=["due_on"], condition=Q(status="running"), name="deadline_running_due"
            ),
            models.Index(
                fields=["due_on"],
                condition=Q(status="running", breached_at__isnull=True),
                name="deadline_to_breach",
            ),
            models.Index(
                fields=["warn_on"],
                condition=Q(status="running", warned_at__isnull=True),
                name="deadline_to_warn",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference} · {self.rule.localized_name} · {self.due_on:%Y-%m-%d}"

    @property
    def may_request_extension(self) -> bool:
        """Open, extendable, and neither extended nor waiting for a decision (a refused
        request may be made again). Reads `extended` where the selector annotated it."""
        if not self.rule.extension_length or self.status not in (
            DeadlineStatus.RUNNING,
            DeadlineStatus.PAUSED,
        ):
            return False
        if not getattr(self, "extended", True):
            return True
        return all(extension.refused_at for extension in self.extensions.all())


class DeadlinePause(models.Model):
    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="pauses"
    )
    started_on = models.DateField(_("paused from"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paused by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline pause")
        verbose_name_plural = _("deadline pauses")
        ordering = ["started_on", "pk"]

    def __str__(self):
        return f"{self.started_on}–{self.ended_on or ''}"


class DeadlineExtension(models.Model):
    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="extensions"
    )
    length = models.PositiveSmallIntegerField(_("extra days"))
    reason = models.CharField(_("reason"), max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refused by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refused_at = models.DateTimeField(_("refused"), null=True, blank=True)
    refusal_reason = models.CharField(_("why refused"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"+{self.length}"

    @property
    def is_pending(self) -> bool:
        return not (self.approved_at or self.refused_at)


def rule_name_in_reader_language(name: str) -> str:
    """A rule's name as the timeline stored it (the Chinese name, when the sweep ran), in the
    reader's language: the English name where the rule has one."""
    if not reader_reads_english():
        return name
    now = time.monotonic()
    if now - _ENGLISH_RULE_NAMES["read_at"] > 30:  # rules change rarely: read them twice a minute
        _ENGLISH_RULE_NAMES["names"] = dict(
            DeadlineRule.objects.exclude(name_en="").values_list("name", "name_en")
        )
        _ENGLISH_RULE_NAMES["read_at"] = now
    return in_reader_language(name, _ENGLISH_RULE_NAMES["names"].get(name, ""))


_ENGLISH_RULE_NAMES: dict = {"read_at": -1e9, "names": {}}


timeline.RULE_NAME_WORDS.append(rule_name_in_reader_language)
