"""A notification in words, in the reader's language, the page it leads its reader to, and the
payload pushed to their browser.

Every link is computed for its reader: a notification whose page its reader cannot open (the
case page answers them 404) carries no link at all, in the inbox, the toast and the SMS."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.cases.choices import CaseState, Category, Channel
from casework.cases.models import Case
from casework.core.access import case_visible, visible_cases_q
from casework.notifications.models import Notification, NotificationKind
from casework.organisation.access import scope_for
from casework.organisation.models import User
from casework.timeline.employer_words import employer_response_words
from casework.timeline.models import rule_name_words

# Notifications about something other than a case: a higher concern registers, per kind,
# the words (params -> text in the current language) and the page (notification, reader ->
# its address, or None when the reader may not open it).
KIND_WORDS: dict = {}
KIND_PAGES: dict = {}


def render(notification: Notification) -> str:
    """The notification's text in the current language."""
    p = notification.params
    if notification.kind in KIND_WORDS:
        return KIND_WORDS[notification.kind](p)
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
    if kind == NotificationKind.HANDED_BACK:
        return _("Case %(reference)s was handed back to %(team)s: %(reason)s") % {
            "reference": reference,
            "team": p.get("team", ""),
            "reason": p.get("reason", ""),
        }
    if kind == NotificationKind.ASSIGNED:
        return _("%(name)s gave you case %(reference)s.") % {
            "name": p.get("by", ""),
            "reference": reference,
        }
    if kind == NotificationKind.PUBLIC_NOTE:
        return _("There is a new message from the bureau about your case %(reference)s.") % {
            "reference": reference
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
        text = _("%(rule)s of case %(reference)s is due on %(due)s.") % {
            "rule": rule_name_words(p.get("rule", "")),
            "reference": reference,
            "due": p.get("due", ""),
        }
        if "left" in p:  # counted in the clock's own unit when the warning was sent
            text += f" ({_left_words(int(p['left']), p.get('unit', 'working'))})"
        return text
    if kind == NotificationKind.MEDIATION_SCHEDULED:
        return _("Mediation for case %(reference)s: %(when)s, %(place)s.") % {
            "reference": reference,
            "when": p.get("when", ""),
            "place": p.get("place") or _("online"),
        }
    if kind == NotificationKind.MEDIATION_CANCELLED:
        return _(
            "The mediation session for case %(reference)s on %(when)s is cancelled: %(reason)s"
        ) % {
            "reference": reference,
            "when": p.get("when", ""),
            "reason": p.get("reason", ""),
        }
    if kind == NotificationKind.EMPLOYER_RESPONDED:
        return employer_response_words(p)
    if kind == NotificationKind.EMPLOYER_QUESTION:
        return _("%(company)s asks about case %(reference)s: %(question)s") % {
            "company": p.get("company", ""),
            "reference": reference,
            "question": p.get("question", ""),
        }
    if kind == NotificationKind.QUESTION_ANSWERED:
        return _("The bureau answered your question about complaint %(reference)s.") % {
            "reference": reference
        }
    if kind == NotificationKind.PAYMENT_TO_CONFIRM:
        return _(
            "A payment of %(amount)s was recorded on your case %(reference)s: please say "
            "whether you received it."
        ) % {"amount": p.get("amount", ""), "reference": reference}
    if kind == NotificationKind.PAYMENT_DISPUTED:
        return _("The worker says the payment of %(amount)s on case %(reference)s never came.") % {
            "amount": p.get("amount", ""),
            "reference": reference,
        }
    if kind == NotificationKind.INSTALMENT_MISSED:
        return _(
            "The instalment of %(amount)s due on %(due)s on case %(reference)s was missed."
        ) % {
            "amount": p.get("amount", ""),
            "due": p.get("due", ""),
            "reference": reference,
        }
    if kind == NotificationKind.CASE_MERGED:
        return _("Complaint %(merged)s was merged into case %(reference)s: follow it there.") % {
            "merged": p.get("merged", ""),
            "reference": reference,
        }
    if kind == NotificationKind.CASE_SPLIT:
        return _("Part of complaint %(original)s now has its own case, %(reference)s.") % {
            "original": p.get("original", ""),
            "reference": reference,
        }
    if kind == NotificationKind.RATING_ASKED:
        return _("Your case %(reference)s is concluded: please rate how we handled it.") % {
            "reference": reference
        }
    if kind == NotificationKind.RATING_BAD:
        return _(
            "The worker is not satisfied with how case %(reference)s was handled: call them back."
        ) % {"reference": reference}
    if kind in (NotificationKind.UPSTREAM_REPLY_DUE, NotificationKind.UPSTREAM_REPLY_OVERDUE):
        words = {
            "source": upstream_source_words(p.get("channel", "")),
            "upstream": p.get("upstream", ""),
            "reference": reference,
            "due": p.get("due", ""),
        }
        if kind == NotificationKind.UPSTREAM_REPLY_DUE:
            return (
                _(
                    "Case %(reference)s: the reply to %(source)s (reference %(upstream)s) is due "
                    "on %(due)s."
                )
                % words
            )
        return (
            _(
                "Case %(reference)s: the reply to %(source)s (reference %(upstream)s) was due on "
                "%(due)s and has not been sent."
            )
            % words
        )
    return _("Case %(reference)s needs your attention.") % {"reference": reference}


def upstream_source_words(channel: str) -> str:
    """The upstream source's name in the reader's words (the stored code if it is unknown)."""
    try:
        return str(Channel(channel).label)
    except ValueError:
        return channel


def _left_words(n: int, unit: str) -> str:
    if unit == "calendar":
        return ngettext("%(n)d day left", "%(n)d days left", n) % {"n": n}
    return ngettext("%(n)d working day left", "%(n)d working days left", n) % {"n": n}


def render_for(notification: Notification, user: User) -> str:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return render(notification)


# Other pages of a case for readers the case page refuses: a higher concern (the platforms'
# portal) registers a function (user, case ids) -> {case id: its page for that reader}.
OTHER_CASE_PAGES: list = []


def openable_case_pages(user: User, case_ids: Iterable[int | None]) -> dict[int, str]:
    """The page each of these cases opens on for `user`, for those they may open: the case
    page by its own permission (visible_cases_q), else a page another concern registered.
    One query, plus one per registered concern for the rest."""
    wanted = {pk for pk in case_ids if pk}
    if not wanted:
        return {}
    visible = Case.objects.filter(visible_cases_q(scope_for(user)), pk__in=wanted)
    pages = {
        pk: reverse("casework:case_detail", args=[pk])
        for pk in visible.values_list("pk", flat=True)
    }
    for pages_for in OTHER_CASE_PAGES:
        rest = wanted - pages.keys()
        if not rest:
            break
        pages.update(pages_for(user, rest))
    return pages


def notification_target(
    notification: Notification, user: User, openable: dict[int, str] | None = None
) -> str | None:
    """The page the notification is about, if its reader can open it (None otherwise).
    `openable`: from openable_case_pages, when rendering many."""
    if not notification.case_id:
        page_for = KIND_PAGES.get(notification.kind)
        return page_for(notification, user) if page_for else None
    if openable is None:
        if (
            getattr(notification, "reader_is_its_team", False)  # services.notify says why
            or _own_case(notification, user)
            or _visible_in_memory(notification, user)
        ):
            return reverse("casework:case_detail", args=[notification.case_id])
        openable = openable_case_pages(user, [notification.case_id])
    return openable.get(notification.case_id)


def _own_case(notification: Notification, user: User) -> bool:
    """A worker's own case, which visible_cases_q lets them open: known without a query when
    the notification was written with its case (a transition tells the worker)."""
    case = Notification._meta.get_field("case").get_cached_value(notification, None)
    return case is not None and user.is_worker and case.worker_id == user.pk


def _visible_in_memory(notification: Notification, user: User) -> bool:
    """The case page's own permission (visible_cases_q) answered from the case the
    notification was written with (its street, team and worker), without a query: the team
    told of a case it was just given."""
    case = Notification._meta.get_field("case").get_cached_value(notification, None)
    return case is not None and case_visible(scope_for(user), case)


def notification_link(
    notification: Notification, user: User, openable: dict[int, str] | None = None
) -> str | None:
    """The link its reader follows: through the inbox's `open`, which marks the notification
    read and sends them on to the target (None when there is no page they can open)."""
    if notification_target(notification, user, openable) is None:
        return None
    return reverse("casework:inbox_open", args=[notification.pk])


def sms_text(notification: Notification, user: User) -> str:
    """The text message: the notification in the reader's words and, if they can open it, the
    full address of its page."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        text = render(notification)
        target = notification_target(notification, user)
        if target:
            link = settings.ANXIN_SITE_URL.rstrip("/") + target
            text = _("%(text)s Details: %(link)s") % {"text": text, "link": link}
    return f"【安薪】{text}"


def notification_payload(notification: Notification, user: User) -> dict:
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "case": notification.case_id,
        "url": notification_link(notification, user),
        "text": render_for(notification, user),
    }
