from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class SessionOutcome(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement reached")
    ADJOURNED = "adjourned", _("Adjourned: another session is needed")
    NO_AGREEMENT = "no_agreement", _("No agreement")


def outcome_words(stored: str) -> str:
    """A held session's outcome in the reader's language; older rows stored the words."""
    return str(SessionOutcome(stored).label) if stored in SessionOutcome.values else stored


class ParticipantSide(models.TextChoices):
    WORKER = "worker", _("Worker")
    EMPLOYER = "employer", _("Employer")
    MEDIATOR = "mediator", pgettext_lazy("party", "Mediator")
    OTHER = "other", _("Other")


class AgreementStatus(models.TextChoices):
    SIGNING = "signing", _("Awaiting signatures")
    BINDING = "binding", _("Binding: signed by every party")
    VOID = "void", pgettext_lazy("agreement state", "Void")


class SignatureMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Signed in person before the mediator")
    SCAN = "scan", _("Signed copy uploaded")


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    PLATFORM = "platform", _("Through the platform's wallet")
    CASH = "cash", _("Cash, against a receipt")
