from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DocumentStage(models.TextChoices):
    DRAFT = "draft", _("Printed for signing")
    SIGNED = "signed", _("Signed version")
