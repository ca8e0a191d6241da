"""The red-risk notification: its words and the page it opens (the company's risk page, for
readers who may see it)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from casework.notifications.models import NotificationKind
from platforms.risk.access import may_see_company_risk
from platforms.risk.words import reason_words

RISK_RED = NotificationKind.RISK_RED


def risk_notice_words(params: dict) -> str:
    reasons = "；".join(reason_words(r) for r in params.get("reasons", []) if isinstance(r, dict))
    return _("%(company)s is now at red risk (%(points)s points): %(reasons)s") % {
        "company": params.get("company", ""),
        "points": params.get("points", ""),
        "reasons": reasons,
    }


def risk_notice_page(notification, user) -> str | None:
    company_id = notification.params.get("company_id")
    if not isinstance(company_id, int) or not may_see_company_risk(user, company_id):
        return None
    return reverse("risk:company", args=[company_id])
