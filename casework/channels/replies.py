"""Replying upstream: when a case concludes, Anxin drafts the reply in the upstream's format
(handling result, amount recovered, the worker's satisfaction), staff confirm, and it is
recorded as sent by the channel's adapter (casework.channels.adapters): a push adapter where
one is configured, otherwise the file export (replies as CSV/XLSX that staff upload to the
upstream system). A merge tells the upstream source of each work order of the merged case."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arrears.ledger import case_ledger
from casework.cases.lifecycle import OPEN_STATES
from casework.channels.adapters import (
    ReplyContent,
    adapter_for,
    adapter_label,
    layout_for,
    upstream_message_send,
)
from casework.channels.adapters_models import UpstreamMessageKind
from casework.channels.models import ReplyStatus, UpstreamOrder
from casework.core.errors import ActionRefused, NotFound
from casework.core.money import yuan
from casework.core.roles import STAFF_ROLES, Role
from casework.core.satisfaction import satisfaction_words
from casework.organisation.models import User

MAX_REPLY = 4000


def _result_words(case) -> str:
    """What became of the case, in the words a hotline operator reads back to the caller."""
    words = {
        "resolved": _("Resolved: the wages owed have been paid."),
        "closed": _("Handled and archived."),
        "referred": _("Referred to %(target)s (their reference %(reference)s)."),
        "not_accepted": _("Not accepted: %(reason)s"),
        "transferred": _("Transferred to the competent authority."),
        "withdrawn": _("Withdrawn by the worker."),
    }
    template = words.get(case.state, case.state_label)
    return template % {
        "target": case.get_referral_target_display(),
        "reference": case.referral_reference,
        "reason": case.decline_reason,
    }


def _lock_order(*, actor: User, order_id) -> UpstreamOrder:
    """The work order row locked, after its case (lock order: case first); 404 for an order
    of a case the actor may not see, refused for anyone but staff on the case."""
    from casework.cases.models import Case

    case_id = UpstreamOrder.objects.filter(pk=order_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound
    Case.objects.lock_for(actor=actor, case_id=case_id, roles_needed=STAFF_ROLES | {Role.ADMIN})
    order = UpstreamOrder.objects.select_for_update().select_related("case").get(pk=order_id)
    if order.case_id != case_id:
        raise ActionRefused(_("This work order moved to another case meanwhile: try again."))
    return order


def _reply_content(actor: User, order: UpstreamOrder) -> ReplyContent:
    case = order.case
    # The upstream system reads Chinese, whatever language the member of staff reads.
    with translation.override(settings.LANGUAGE_CODE):
        return ReplyContent(
            case_reference=case.reference,
            upstream_reference=order.reference,
            result=_result_words(case),
            recovered=case_ledger(user=actor, case=case).confirmed,
            satisfaction=satisfaction_words(case),
        )


def reply_draft(*, actor: User, order_id) -> UpstreamOrder:
    """Draft (or draft again) the reply of a concluded case's work order.

    Changes: the order's reply text and status (drafted). Sends nothing."""
    with transaction.atomic():
        order = _lock_order(actor=actor, order_id=order_id)
        if order.case.state in OPEN_STATES:
            raise ActionRefused(_("The reply is drafted once the case has concluded."))
        if order.reply_status == ReplyStatus.SENT:
            raise ActionRefused(_("The reply was sent already."))
        order.reply_text = layout_for(order.channel).render(_reply_content(actor, order))
        order.reply_status = ReplyStatus.DRAFTED
        order.reply_drafted_at = timezone.now()
        order._history_user = actor
        order.save(update_fields=["reply_text", "reply_status", "reply_drafted_at"])
    return order


def reply_confirm(*, actor: User, order_id, text: str) -> UpstreamOrder:
    """Staff confirm the (possibly edited) draft: it is recorded as sent by the channel's
    adapter (the file export unless a push adapter is configured for the channel).

    Changes: the order's reply text, status (sent), who, when and by which adapter; an
    UpstreamMessage with the upstream's columns. Sends (after commit): the reply through the
    channel's push adapter, if it has one; with the file export, nothing (it is in the file)."""
    text = (text or "").strip()
    if not text or len(text) > MAX_REPLY or "\x00" in text:
        raise ActionRefused(_("Write the reply (at most 4,000 characters)."), field="text")
    with transaction.atomic():
        order = _lock_order(actor=actor, order_id=order_id)
        if order.reply_status == ReplyStatus.SENT:
            raise ActionRefused(_("The reply was sent already."))
        if order.reply_status != ReplyStatus.DRAFTED:
            raise ActionRefused(_("Draft the reply first."))
        content = _reply_content(actor, order)
        message = upstream_message_send(
            actor=actor,
            order=order,
            kind=UpstreamMessageKind.REPLY,
            text=text,
            columns={
                "result": text,
                "recovered": yuan(content.recovered),
                "satisfaction": content.satisfaction or "未评价",
                "case": content.case_reference,
            },
        )
        order.reply_text = text
        order.reply_status = ReplyStatus.SENT
        order.reply_sent_at = timezone.now()
        order.reply_sent_by = actor
        order.reply_sent_via = message.via
        order._history_user = actor
        order.save(
            update_fields=[
                "reply_text",
                "reply_status",
                "reply_sent_at",
                "reply_sent_by",
                "reply_sent_via",
            ]
        )
    return order


def upstream_merge_notify(*, actor: User, merged, survivor) -> int:
    """Tell the upstream source of each work order of `merged` that it continues as
    `survivor` (the reply is owed from it). Called by the merge, inside its transaction,
    both cases locked, before the orders move; answers how many sources were told.

    Changes: one UpstreamMessage per work order, through its channel's adapter. Sends (after
    commit): each through its channel's push adapter, if it has one."""
    orders = list(
        UpstreamOrder.objects.select_for_update()
        .filter(case=merged)
        .exclude(reply_status=ReplyStatus.SENT)
        .order_by("pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for order in orders:
            text = _(
                "Work order %(upstream)s: the complaint (Anxin case %(merged)s) is the same "
                "grievance as Anxin case %(survivor)s and was merged into it. It is handled "
                "there; the reply follows when %(survivor)s concludes."
            ) % {
                "upstream": order.reference,
                "merged": merged.reference,
                "survivor": survivor.reference,
            }
            upstream_message_send(
                actor=actor,
                order=order,
                kind=UpstreamMessageKind.MERGE_NOTICE,
                text=text,
                columns={
                    "result": _("Merged into %(survivor)s") % {"survivor": survivor.reference},
                    "case": survivor.reference,
                },
            )
    return len(orders)


def reply_page_context(*, order: UpstreamOrder) -> dict:
    """What the reply page says about delivery: the channel's adapter, and what was told to
    the upstream source of this order so far (replies and merge notices), with who carried it.
    The page already let the user see the order."""
    adapter = adapter_for(order.channel)
    messages = list(order.messages.select_related("recorded_by").order_by("recorded_at", "pk"))
    for message in messages:
        message.via_label = adapter_label(message.via)
    return {"adapter": adapter, "upstream_messages": messages}
