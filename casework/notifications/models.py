from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    NEW_CASE = "new_case", _("New case for your team")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ESCALATED = "escalated", _("Case escalated")
    HANDED_BACK = "handed_back", _("Case handed back")
    ASSIGNED = "assigned", _("Case assigned to you")
    PUBLIC_NOTE = "public_note", _("Message from the bureau")
    COLLECTIVE = "collective", _("Collective case")
    RESPONSE_REQUESTED = "response_requested", _("Response requested")
    DEADLINE_WARNING = "deadline_warning", _("Deadline approaching")
    DEADLINE_MISSED = "deadline_missed", _("Deadline missed")
    MEDIATION_SCHEDULED = "mediation_scheduled", _("Mediation session scheduled")
    MEDIATION_CANCELLED = "mediation_cancelled", _("Mediation session cancelled")
    EMPLOYER_RESPONDED = "employer_responded", _("Employer responded")
    EMPLOYER_QUESTION = "employer_question", _("Question from an employer")
    QUESTION_ANSWERED = "question_answered", _("The bureau answered your question")
    PAYMENT_TO_CONFIRM = "payment_to_confirm", _("Payment to confirm")
    PAYMENT_DISPUTED = "payment_disputed", _("Payment disputed by the worker")
    INSTALMENT_MISSED = "instalment_missed", _("Instalment missed")
    CASE_MERGED = "case_merged", _("Complaints merged")
    CASE_SPLIT = "case_split", _("Complaint split in two")
    RATING_ASKED = "rating_asked", _("Please rate how we handled your case")
    RATING_BAD = "rating_bad", _("A worker is not satisfied")
    RISK_RED = "risk_red", _("Employer now at red risk")
    UPSTREAM_REPLY_DUE = "upstream_reply_due", _("Upstream reply due soon")
    UPSTREAM_REPLY_OVERDUE = "upstream_reply_overdue", _("Upstream reply overdue")


class Notification(models.Model):
    """One message for one person: the inbox is the truth, the WebSocket only a hint."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    case = models.ForeignKey(
        "casework.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Rendered in the reader's language when shown, from these values.
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-id"], condition=Q(read_at__isnull=True), name="notice_unread"
            ),
            models.Index(fields=["recipient", "-id"], name="notice_inbox"),
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.kind}"
