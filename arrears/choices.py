from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    PLATFORM_WALLET = "platform_wallet", _("Platform wallet")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


class PaymentSource(models.TextChoices):
    STAFF = "staff", _("Recorded by staff")
    EMPLOYER = "employer", _("Reported by the employer")


class PaymentStatus(models.TextChoices):
    """Whether the money reached the worker. Recovered money is RECEIVED or PROOF_VERIFIED."""

    AWAITING = "awaiting", _("Waiting for the worker to confirm")
    RECEIVED = "received", _("Received: confirmed by the worker")
    NOT_RECEIVED = "not_received", _("Not received, says the worker")
    PROOF_VERIFIED = "proof_verified", _("Proof checked by staff")


# Money that counts as recovered (the dashboard, the employer page's "paid (confirmed)").
CONFIRMED_STATUSES = (PaymentStatus.RECEIVED, PaymentStatus.PROOF_VERIFIED)
# The rest: waiting for the worker, or disputed (few at any time: a partial index has them).
UNCONFIRMED_STATUSES = (PaymentStatus.AWAITING, PaymentStatus.NOT_RECEIVED)
