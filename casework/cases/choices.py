"""Vocabulary of a case (DOMAIN.md): states, categories, relationship, channels, events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    VERIFYING = "verifying", _("Verifying")
    AWAITING_RESPONSE = "awaiting_response", _("Awaiting employer response")
    MEDIATING = "mediating", _("Mediating")
    AGREEMENT_REACHED = "agreement_reached", _("Agreement reached")
    MEDIATION_FAILED = "mediation_failed", _("Mediation failed")
    REFERRED = "referred", _("Referred")
    RESOLVED = "resolved", _("Resolved")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    TRANSFERRED = "transferred", _("Transferred")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")
    # A duplicate whose contents moved to another case (casework.merging): never reopened.
    MERGED = "merged", _("Merged into another case")


class Category(models.TextChoices):
    PAY_ARREARS = "pay_arrears", _("Unpaid or late pay")
    SETTLEMENT_ERROR = "settlement_error", _("Settlement error")
    FINE_DEDUCTION = "fine_deduction", _("Fines and deductions")
    ACCOUNT_BAN = "account_ban", _("Account banned or orders limited")
    DISPATCH_ALGORITHM = "dispatch_algorithm", _("Dispatch, algorithm or time limits")
    COMMISSION = "commission", _("Commission and membership fees")
    MIN_WAGE = "min_wage", _("Below the minimum wage")
    HOURS_REST = "hours_rest", _("Working hours and rest")
    SAFETY_WEATHER = "safety_weather", _("Safety and extreme weather")
    OCCUPATIONAL_INJURY = "occupational_injury", _("Injury at work")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    RELATION_CONFIRM = "relation_confirm", _("Confirming the employment relationship")
    DEPOSIT_FEE = "deposit_fee", _("Deposits and entry fees")
    RULE_NOT_PUBLISHED = "rule_not_published", _("Rules not published")
    RETALIATION = "retaliation", _("Retaliation")
    COLLECTIVE_INCIDENT = "collective_incident", _("Group incident")


# Categories where the worker claims an amount of money.
MONEY_CATEGORIES = frozenset(
    {
        Category.PAY_ARREARS,
        Category.SETTLEMENT_ERROR,
        Category.FINE_DEDUCTION,
        Category.COMMISSION,
        Category.MIN_WAGE,
        Category.DEPOSIT_FEE,
        Category.OCCUPATIONAL_INJURY,
    }
)


class RelationshipCategory(models.TextChoices):
    LABOUR_RELATION = "labour_relation", _("Labour relation (labour contract)")
    INCOMPLETE_LABOUR_RELATION = (
        "incomplete_labour_relation",
        _("Not fully a labour relation (written agreement)"),
    )
    SELF_EMPLOYED = "self_employed", _("Self-employed through the platform")
    UNDETERMINED = "undetermined", _("Not yet determined")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online, by the worker")
    WALK_IN = "walk_in", _("Walk-in at a station or office")
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter")
    # Upstream channels: the complaint arrives as someone else's work order, with their
    # reference, their deadline and a reply owed (casework/channels).
    HOTLINE_12345 = "hotline_12345", _("12345 hotline work order")
    HOTLINE_12333 = "hotline_12333", _("12333 hotline work order")
    NATIONAL_CLUE = "national_clue", _("National wage-arrears clue platform")
    PROVINCIAL_APP = "provincial_app", _("Provincial service app")


UPSTREAM_CHANNELS = frozenset(
    {Channel.HOTLINE_12345, Channel.HOTLINE_12333, Channel.NATIONAL_CLUE, Channel.PROVINCIAL_APP}
)


class ReferralTarget(models.TextChoices):
    ARBITRATION = "arbitration", _("Labour dispute arbitration")
    INSPECTION = "inspection", _("Labour inspection")
    COURT = "court", _("Court")
    POLICE = "police", _("Police")
