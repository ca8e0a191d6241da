from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    TRANSITION = "transition", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    NOTE_ADDED = "note_added", _("Note added")
    MESSAGE_FROM_WORKER = "message_from_worker", _("Message from the worker")
    ESCALATED = "escalated", _("Escalated")
    DEESCALATED = "deescalated", _("Handed back down")
    DEADLINE_WARNING = "deadline_warning", _("Deadline approaching")
    DEADLINE_BREACHED = "deadline_breached", _("Deadline missed")
    DEADLINE_PAUSED = "deadline_paused", _("Clock paused")
    DEADLINE_RESUMED = "deadline_resumed", _("Clock resumed")
    DEADLINE_EXTENDED = "deadline_extended", _("Deadline extended")
    EXTENSION_REQUESTED = "extension_requested", _("Extension of a deadline requested")
    EXTENSION_REFUSED = "extension_refused", _("Extension of a deadline refused")
    DEADLINES_RECOMPUTED = "deadlines_recomputed", _("Deadlines recomputed")
    DEADLINES_CANCELLED = "deadlines_cancelled", _("Deadlines no longer apply")
    GROUPED = "grouped", _("Grouped with related complaints")
    COLLECTIVE = "collective", _("Became a collective case")
    MEDIATION_SCHEDULED = "mediation_scheduled", _("Mediation session scheduled")
    MEDIATION_HELD = "mediation_held", _("Mediation session held")
    MEDIATION_CANCELLED = "mediation_cancelled", _("Mediation session cancelled")
    AGREEMENT_RECORDED = "agreement_recorded", _("Mediation agreement drawn up")
    AGREEMENT_SIGNED = "agreement_signed", _("Mediation agreement signed")
