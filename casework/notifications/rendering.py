"""A notification in words, in the reader's language, and the payload pushed to their browser."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from casework.cases.choices import CaseState, Category
from casework.notifications.models import Notification, NotificationKind
from casework.organisation.models import User
from casework.timeline.models import rule_name_words


def render(notification: Notification) -> str:
    """The notification's text in the current language."""
    p = notification.params
    reference = p.get("reference", "")
    kind = notification.kind
    if kind == NotificationKind.NEW_CASE:
        return _("New case %(reference)s: %(category)s, %(place)s") % {
            "reference": reference,
            "category": Category(p["category"]).label if p.get("category") else "",
            "place": p.get("place", ""),
        }
    if kind == NotificationKind.STATUS_CHANGED:
        return _("Your case %(reference)s is now “%(state)s”.") % {
            "reference": reference,
            "state": CaseState(p["state"]).label if p.get("state") else "",
        }
    if kind == NotificationKind.ESCALATED:
        reason = p.get("reason", "")
        if p.get("missed"):  # by the sweep: put into the reader's words here
            names = "、".join(rule_name_words(name) for name in p["missed"])
            reason = _("Deadline missed: %(rules)s") % {"rules": names}
        return _("Case %(reference)s was escalated to %(team)s: %(reason)s") % {
            "reference": reference,
            "team": p.get("team", ""),
            "reason": reason,
        }
    if kind == NotificationKind.COLLECTIVE:
        return _("Collective case: %(n)s workers against %(employer)s") % {
            "n": p.get("workers", ""),
            "employer": p.get("employer", ""),
        }
    if kind == NotificationKind.RESPONSE_REQUESTED:
        return _("Please respond to complaint %(reference)s by %(due)s.") % {
            "reference": reference,
            "due": p.get("due", ""),
        }
    if kind == NotificationKind.DEADLINE_WARNING:
        return _("%(rule)s of case %(reference)s is due on %(due)s.") % {
            "rule": rule_name_words(p.get("rule", "")),
            "reference": reference,
            "due": p.get("due", ""),
        }
    if kind == NotificationKind.MEDIATION_SCHEDULED:
        return _("Mediation for case %(reference)s: %(when)s, %(place)s.") % {
            "reference": reference,
            "when": p.get("when", ""),
            "place": p.get("place") or _("online"),
        }
    return _("Case %(reference)s needs your attention.") % {"reference": reference}


def render_for(notification: Notification, user: User) -> str:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return render(notification)


def notification_payload(notification: Notification, user: User) -> dict:
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "case": notification.case_id,
        "url": reverse("casework:case_detail", args=[notification.case_id])
        if notification.case_id
        else reverse("casework:inbox"),
        "text": render_for(notification, user),
    }
