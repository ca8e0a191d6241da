"""Replying upstream: when a case concludes, Anxin drafts the reply in the upstream's format
(handling result, amount recovered, the worker's satisfaction), staff confirm, and it is
recorded as sent: through the channel's adapter where one is registered, otherwise by the
file export (replies as CSV/XLSX that staff upload to the upstream system)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.ledger import case_ledger
from casework.cases.choices import Channel
from casework.cases.lifecycle import OPEN_STATES
from casework.channels.models import ReplyStatus, UpstreamOrder
from casework.core.errors import ActionRefused, NotFound
from casework.core.money import yuan
from casework.core.outbound import send_on_commit
from casework.core.roles import STAFF_ROLES, Role
from casework.core.satisfaction import satisfaction_words
from casework.organisation.models import User

MAX_REPLY = 4000
FILE_EXPORT = "file"


@dataclass
class ReplyContent:
    case_reference: str
    upstream_reference: str
    result: str
    recovered: Decimal
    satisfaction: str | None


class ReplyFormat:
    """Lays out a reply the way one upstream system expects it. Subclass per channel; an
    adapter that also delivers (an HTTP client of the upstream system) overrides `send`."""

    labels = ("处理结果", "追回金额", "来电人满意度")
    sends = False

    def render(self, content: ReplyContent) -> str:
        result, amount, satisfaction = self.labels
        return "\n".join(
            [
                f"{result}：{content.result}",
                f"{amount}：{yuan(content.recovered)}",
                f"{satisfaction}：{content.satisfaction or '未评价'}",
                f"安薪案件编号：{content.case_reference}",
            ]
        )

    def send(self, order: UpstreamOrder) -> None:
        """Deliver the confirmed reply. The file export needs no delivery."""


class NationalClueFormat(ReplyFormat):
    labels = ("核查处理情况", "追回工资金额", "当事人满意度")


class ProvincialAppFormat(ReplyFormat):
    labels = ("办理结果", "追回金额", "群众评价")


# Channel -> its format (and adapter). A channel missing here uses the hotline layout.
ADAPTERS: dict[str, ReplyFormat] = {
    Channel.HOTLINE_12345: ReplyFormat(),
    Channel.HOTLINE_12333: ReplyFormat(),
    Channel.NATIONAL_CLUE: NationalClueFormat(),
    Channel.PROVINCIAL_APP: ProvincialAppFormat(),
}


def adapter_for(channel: str) -> ReplyFormat:
    return ADAPTERS.get(channel, ReplyFormat())


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


def reply_draft(*, actor: User, order_id) -> UpstreamOrder:
    """Draft (or draft again) the reply of a concluded case's work order.

    Changes: the order's reply text and status (drafted). Sends nothing."""
    with transaction.atomic():
        order = _lock_order(actor=actor, order_id=order_id)
        case = order.case
        if case.state in OPEN_STATES:
            raise ActionRefused(_("The reply is drafted once the case has concluded."))
        if order.reply_status == ReplyStatus.SENT:
            raise ActionRefused(_("The reply was sent already."))
        content = ReplyContent(
            case_reference=case.reference,
            upstream_reference=order.reference,
            result=_result_words(case),
            recovered=case_ledger(user=actor, case=case).confirmed,
            satisfaction=satisfaction_words(case),
        )
        order.reply_text = adapter_for(order.channel).render(content)
        order.reply_status = ReplyStatus.DRAFTED
        order.reply_drafted_at = timezone.now()
        order._history_user = actor
        order.save(update_fields=["reply_text", "reply_status", "reply_drafted_at"])
    return order


def reply_confirm(*, actor: User, order_id, text: str) -> UpstreamOrder:
    """Staff confirm the (possibly edited) draft: it is recorded as sent, through the
    channel's adapter when it delivers, else as part of the file export.

    Changes: the order's reply text, status (sent), who and when. Sends: the adapter's
    delivery after commit, for a channel whose adapter delivers (none does yet)."""
    text = (text or "").strip()
    if not text or len(text) > MAX_REPLY or "\x00" in text:
        raise ActionRefused(_("Write the reply (at most 4,000 characters)."), field="text")
    with transaction.atomic():
        order = _lock_order(actor=actor, order_id=order_id)
        if order.reply_status == ReplyStatus.SENT:
            raise ActionRefused(_("The reply was sent already."))
        if order.reply_status != ReplyStatus.DRAFTED:
            raise ActionRefused(_("Draft the reply first."))
        adapter = adapter_for(order.channel)
        order.reply_text = text
        order.reply_status = ReplyStatus.SENT
        order.reply_sent_at = timezone.now()
        order.reply_sent_by = actor
        order.reply_sent_via = type(adapter).__name__ if adapter.sends else FILE_EXPORT
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
        if adapter.sends:
            send_on_commit(
                lambda: adapter.send(order),
                kind="upstream_reply",
                description=f"reply to {order.channel} {order.reference}",
            )
    return order
