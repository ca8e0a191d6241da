from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    YELLOW = "yellow", _("Yellow")
    NONE = "none", _("No risk")


# Highest first: a company takes the first level whose band its points reach.
LEVEL_ORDER = [RiskLevel.RED, RiskLevel.ORANGE, RiskLevel.YELLOW]
SEVERITY = {RiskLevel.NONE: 0, RiskLevel.YELLOW: 1, RiskLevel.ORANGE: 2, RiskLevel.RED: 3}


class Signal(models.TextChoices):
    OPEN_ARREARS = "open_arrears", _("Wages still owed on open complaints (yuan)")
    OVERDUE_INSTALMENTS = "overdue_instalments", _("Agreed instalments missed and still unpaid")
    MISSED_ORDERS = "missed_orders", _("Payment orders whose deadline passed unpaid")
    COMPLAINTS_MONTH = "complaints_month", _("Complaints in the last 30 days")
    COMPLAINT_GROWTH = (
        "complaint_growth",
        _("Growth of complaints over the 30 days before (percent, from 3 complaints)"),
    )
    COLLECTIVE_CASES = "collective_cases", _("Collective cases in the last year")
    REPEAT_COMPLAINTS = (
        "repeat_complaints",
        _("Workers who complained more than once in the last year"),
    )
    LATE_RESPONSES = "late_responses", _("Answers to the bureau after the deadline (90 days)")
    OPEN_FINDINGS = "open_findings", _("Screening findings not yet corrected")
    OVERDUE_FINDINGS = "overdue_findings", _("Screening findings past their correction deadline")
