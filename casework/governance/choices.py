from django.db import models
from django.utils.translation import gettext_lazy as _


class ScreeningManner(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    DOCUMENTS = "documents", _("By documents")
    ONLINE = "online", _("Online")


class CheckItem(models.TextChoices):
    """The checklist every screening goes through, one finding per item that fails."""

    CONTRACTS = "contracts", _("Labour contracts or written agreements signed")
    WAGES_ON_TIME = "wages_on_time", _("Wages paid in full and on time")
    RULES_PUBLISHED = "rules_published", _("Rules and algorithms published to workers")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance paid")
    INJURY_PROTECTION = "injury_protection", _("Occupational injury protection in place")


class ScreeningStatus(models.TextChoices):
    CLEAR = "clear", _("No findings")
    CORRECTING = "correcting", _("Corrections due")
    CORRECTED = "corrected", _("Corrected, re-inspected")
