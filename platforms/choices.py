from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanyKind(models.TextChoices):
    """Links of the employer chain, from the top down."""

    PLATFORM = "platform", _("Platform company")
    OPERATOR = "operator", _("Partner or site operator")
    FRANCHISEE = "franchisee", _("Franchisee")
    AGENCY = "agency", _("Labour dispatch or outsourcing agency")
    SUBCONTRACTOR = "subcontractor", _("Individual sub-contractor")


class Industry(models.TextChoices):
    FOOD_DELIVERY = "food_delivery", _("Food delivery")
    RIDE_HAILING = "ride_hailing", _("Ride-hailing")
    COURIER = "courier", _("Courier")
