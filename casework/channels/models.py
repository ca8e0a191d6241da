"""Upstream channels: work orders that reach the bureau from the 12345/12333 hotlines, the
national wage-arrears clue platform and the provincial app. Each has its reference (unique per
channel), its deadline on the working-day calendar and a reply owed when the case concludes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.cases.choices import Channel
from casework.clocks.models import DayUnit

UPSTREAM_CHOICES = [
    (Channel.HOTLINE_12345.value, Channel.HOTLINE_12345.label),
    (Channel.HOTLINE_12333.value, Channel.HOTLINE_12333.label),
    (Channel.NATIONAL_CLUE.value, Channel.NATIONAL_CLUE.label),
    (Channel.PROVINCIAL_APP.value, Channel.PROVINCIAL_APP.label),
]


class UpstreamChannelRule(models.Model):
    """How long an upstream source gives the bureau to reply, as data an admin edits."""

    channel = models.CharField(_("channel"), max_length=20, choices=UPSTREAM_CHOICES, unique=True)
    reply_within = models.PositiveSmallIntegerField(_("reply within"))
    unit = models.CharField(
        _("unit"), max_length=10, choices=DayUnit.choices, default=DayUnit.WORKING
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("upstream deadline rule")
        verbose_name_plural = _("upstream deadline rules")
        ordering = ["channel"]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.reply_within} {self.get_unit_display()}"


class ReplyStatus(models.TextChoices):
    OWED = "owed", _("Reply owed when the case concludes")
    DRAFTED = "drafted", _("Reply drafted, to be confirmed")
    SENT = "sent", _("Reply sent")


class UpstreamOrder(models.Model):
    """One upstream work order and the case it became (a merge may move it to another case)."""

    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="upstream_orders",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=UPSTREAM_CHOICES)
    reference = models.CharField(_("upstream reference"), max_length=64)
    received_on = models.DateField(_("received"))
    due_on = models.DateField(_("upstream deadline"))
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Part of the period lies in a year without an official calendar yet."),
    )
    text = models.TextField(_("work order text"), blank=True)
    reply_status = models.CharField(
        _("reply"), max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.OWED
    )
    reply_text = models.TextField(_("reply text"), blank=True)
    reply_drafted_at = models.DateTimeField(_("reply drafted"), null=True, blank=True)
    reply_sent_at = models.DateTimeField(_("reply sent"), null=True, blank=True)
    reply_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reply sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply_sent_via = models.CharField(_("sent via"), max_length=40, blank=True)
    # Set by the deadline sweep when it told the case's team, so each stage is told once.
    due_warned_at = models.DateTimeField(_("team warned the reply is due"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(
        _("team told the reply is overdue"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("upstream work order")
        verbose_name_plural = _("upstream work orders")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "reference"], name="upstream_order_reference_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=~models.Q(reply_status="sent"), name="upstream_owed"
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.reference}"


class UpstreamToken(models.Model):
    """An upstream system's key to post work orders: bound to one channel and one street or
    park (it files there, and nowhere else). Not a person: it reads nothing back but the
    orders it posted. Only a SHA-256 of the secret is kept; the secret is shown once."""

    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=20, choices=UPSTREAM_CHOICES)
    unit = models.ForeignKey(
        "casework.Unit",
        verbose_name=_("files into"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind__in": ["street", "park"]},
    )
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        verbose_name = _("upstream system token")
        verbose_name_plural = _("upstream system tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class WorkOrderImport(models.Model):
    """A file of work orders read and checked, waiting for staff to confirm the preview.
    `rows` keeps what each line will create (or why it is refused); confirming creates them."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=20, choices=UPSTREAM_CHOICES)
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.file_name
