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


class ResponseKind(models.TextChoices):
    """What an employer answers when the bureau asks it to respond to a complaint."""

    ACCEPT = "accept", _("Accepts and will pay")
    DISPUTE = "dispute", _("Disputes the complaint")
    PLAN = "plan", _("Proposes a payment plan")


class ResponseChannel(models.TextChoices):
    PORTAL = "portal", _("Platform portal")
    API = "api", _("Platform API")
    STAFF = "staff", _("Recorded by the bureau")
