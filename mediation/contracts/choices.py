"""Vocabulary of collective contracts: states, scopes, sides and chapters."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContractState(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    CONSULTING = "consulting", _("In consultation")
    CONGRESS_APPROVED = "congress_approved", _("Approved by the workers' congress")
    SIGNED = "signed", pgettext_lazy("contract state", "Signed")
    FILED = "filed", _("Filed: under review")
    RETURNED = "returned", _("Returned with a review opinion")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")


# Clauses, representatives, rounds and key terms change only while the sides still negotiate.
EDITABLE_STATES = (ContractState.DRAFTING, ContractState.CONSULTING)


class ScopeKind(models.TextChoices):
    PLATFORM = "platform", _("One platform company")
    REGIONAL_INDUSTRY = "regional_industry", _("An industry in a region")


class Side(models.TextChoices):
    WORKERS = "workers", _("Workers' side")
    EMPLOYER = "employer", _("Employer side")


class Chapter(models.TextChoices):
    """The chapters of DOMAIN.md, in the order a contract lists them."""

    GENERAL = "general", _("General provisions")
    PAY = "pay", _("Pay and minimum-income guarantee")
    COMMISSION = "commission", _("Commission and fees")
    HOURS = "hours", _("Working hours and rest")
    SAFETY = "safety", _("Safety and extreme weather")
    INSURANCE = "insurance", _("Social and commercial insurance")
    TRAINING = "training", _("Training")
    ALGORITHM = "algorithm", _("Algorithm and rule consultation")
    PENALTIES = "penalties", _("Penalties and appeals")
    TALKS = "talks", _("Regular talks and dispute handling")
    TERM = "term", _("Term, amendment and termination")


CHAPTER_ORDER = {chapter.value: index for index, chapter in enumerate(Chapter)}

# The headings printed in the contract itself. The contract is a Chinese legal document: its
# text (and so its versions and their diffs) must not change with the reader's language.
CHAPTER_HEADINGS_ZH = {
    Chapter.GENERAL: "总则",
    Chapter.PAY: "劳动报酬与最低收入保障",
    Chapter.COMMISSION: "抽成与费用",
    Chapter.HOURS: "工作时间与休息休假",
    Chapter.SAFETY: "劳动安全与极端天气",
    Chapter.INSURANCE: "社会保险与商业保险",
    Chapter.TRAINING: "职业技能培训",
    Chapter.ALGORITHM: "算法与规则协商",
    Chapter.PENALTIES: "奖惩与申诉",
    Chapter.TALKS: "定期协商与争议处理",
    Chapter.TERM: "期限、变更与终止",
}

INDUSTRY_NAMES_ZH = {
    "food_delivery": "外卖配送",
    "ride_hailing": "网约车",
    "courier": "快递",
}


class VersionReason(models.TextChoices):
    """Why a version (or a history row of the contract) was written: stored as the key and
    put into words in the reader's language (ContractVersion.reason_text)."""

    OPENED = "opened", _("Opened")
    TERMS_CHANGED = "terms_changed", _("Key terms changed")
    CLAUSE_ADDED = "clause_added", _("Clause added")
    CLAUSE_CHANGED = "clause_changed", _("Clause changed")
    CLAUSE_REMOVED = "clause_removed", _("Clause removed")
    CLAUSE_MOVED = "clause_moved", _("Clause moved")
    RENEWAL = "renewal", _("Renewal")
