from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from mediation.choices import ParticipantSide, SessionOutcome, SessionStatus


class MediationSession(models.Model):
    """One meeting of the parties with a mediator, for a case or a whole collective group."""

    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_sessions",
    )
    group = models.ForeignKey(
        "casework.CaseGroup",
        verbose_name=_("collective group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_sessions",
    )
    scheduled_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        related_name="mediation_sessions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    minutes = models.TextField(pgettext_lazy("meeting record", "minutes"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=SessionOutcome.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["scheduled_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, group__isnull=True)
                | Q(case__isnull=True, group__isnull=False),
                name="session_for_case_or_group",
            ),
            models.CheckConstraint(
                condition=~Q(place="", online_link=""), name="session_has_place_or_link"
            ),
        ]

    def __str__(self):
        return f"{self.scheduled_at:%Y-%m-%d %H:%M} {self.place or self.online_link}"


class Participant(models.Model):
    """Someone invited to a session, and whether they came."""

    session = models.ForeignKey(
        MediationSession, on_delete=models.CASCADE, related_name="participants"
    )
    side = models.CharField(_("side"), max_length=20, choices=ParticipantSide.choices)
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    case = models.ForeignKey(
        "casework.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField(_("attended"), null=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["session", "side", "pk"]

    def __str__(self):
        return self.name
