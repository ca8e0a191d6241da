from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("District")
    DEPARTMENT = "department", _("District department")
    STREET = "street", _("Street (sub-district)")
    PARK = "park", _("Industrial park")


class Tier(models.IntegerChoices):
    UNIT = 1, _("Tier 1: unit")
    TEAM = 2, _("Tier 2: labour-relations team")
    STATION = 3, _("Tier 3: frontline service station")


class TeamKind(models.TextChoices):
    COORDINATORS = "coordinators", _("Labour-relations coordinators")
    MEDIATORS = "mediators", _("Dispute mediators")
    INSPECTION_ASSISTANTS = "inspection_assistants", _("Inspection assistants")
    SERVICE_STATION = "service_station", _("Frontline service station")
    UNIT_OFFICE = "unit_office", _("Unit office")


TEAM_KIND_TIER = {
    TeamKind.COORDINATORS: Tier.TEAM,
    TeamKind.MEDIATORS: Tier.TEAM,
    TeamKind.INSPECTION_ASSISTANTS: Tier.TEAM,
    TeamKind.SERVICE_STATION: Tier.STATION,
    TeamKind.UNIT_OFFICE: Tier.UNIT,
}
