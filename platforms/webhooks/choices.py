from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """What a platform can subscribe to; the value is the `type` of the payload."""

    CASE_NAMED = "case.named", _("A complaint names us (the bureau took it up)")
    RESPONSE_REQUESTED = "case.response_requested", _("Our response is requested")
    RESPONSE_DUE_SOON = "case.response_due_soon", _("Our response is due in a working day")
    AGREEMENT_BINDING = "agreement.binding", _("A mediation agreement is signed and binding")
    INSTALMENT_DUE = "instalment.due", _("A payment instalment is due")


# Sent only to the endpoint that asked for it (the "send a test" button); never subscribed to.
PING = "ping"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Failed, will retry")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed, no more retries")


class AttemptError(models.TextChoices):
    """Why an attempt got no answer; a receiver's answer is recorded by its code instead."""

    ADDRESS_REFUSED = "address_refused", _("The address leads to a private or reserved network")
    NAME_NOT_FOUND = "name_not_found", _("The host name could not be found")
    CONNECTION = "connection", _("Could not connect")
    TLS = "tls", _("The secure connection failed (certificate or TLS)")
    TIMEOUT = "timeout", _("No answer in time")
    PROTOCOL = "protocol", _("The answer was not valid HTTP")
