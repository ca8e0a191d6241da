"""How what Anxin tells an upstream source (a reply, a merge notice) reaches it: one adapter
per channel, and one layout per channel (the labels and columns its system reads).

Without any configuration every channel uses the file export (`FileExportAdapter`): a message
is recorded as put in the replies file, which staff download as CSV or XLSX in the upstream's
columns (casework.channels.adapters_file) and upload to the upstream system.

Plugging a push adapter (an HTTP client of an upstream system), in the style of
ANXIN_SMS_BACKEND: subclass `UpstreamAdapter`, give it a `key` (stored on every message it
carries) and a `label` (what staff read), set `pushes = True` and implement `deliver(message)`,
raising on any failure. Name it in the settings, per channel:

    ANXIN_UPSTREAM_ADAPTERS = {"hotline_12345": "bureau.hotline.Hotline12345Adapter"}

`deliver` runs after the transaction that recorded the message commits (casework.core.outbound),
never inside it; when it returns, the message is marked accepted by the upstream system. When it
raises, the failure is logged, the message stays recorded as sent through that adapter but not
accepted, and the work order's page says so: nothing is ever marked delivered that was not.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import Channel
from casework.channels.adapters_models import UpstreamMessage
from casework.core.money import yuan
from casework.core.outbound import send_on_commit

logger = logging.getLogger(__name__)
FILE_EXPORT = "file"


@dataclass
class ReplyContent:
    case_reference: str
    upstream_reference: str
    result: str
    recovered: Decimal
    satisfaction: str | None


class ReplyLayout:
    """A reply laid out the way one upstream system expects it (its labels are the upstream's
    own, in Chinese whatever the reader's language). Subclass per channel."""

    labels = ("处理结果", "追回金额", "来电人满意度")

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

    def headings(self) -> list[str]:
        """The file's columns for this upstream: its number, what kind of message, its three
        reply columns, our case and when it was recorded."""
        return ["工单编号", "类型", *self.labels, "安薪案件编号", "答复时间"]


class NationalClueLayout(ReplyLayout):
    labels = ("核查处理情况", "追回工资金额", "当事人满意度")


class ProvincialAppLayout(ReplyLayout):
    labels = ("办理结果", "追回金额", "群众评价")


LAYOUTS: dict[str, ReplyLayout] = {
    Channel.HOTLINE_12345: ReplyLayout(),
    Channel.HOTLINE_12333: ReplyLayout(),
    Channel.NATIONAL_CLUE: NationalClueLayout(),
    Channel.PROVINCIAL_APP: ProvincialAppLayout(),
}


def layout_for(channel: str) -> ReplyLayout:
    """A channel missing here uses the hotline layout."""
    return LAYOUTS.get(channel, ReplyLayout())


class UpstreamAdapter:
    """Carries messages to one upstream system. The base class is the file export."""

    key = FILE_EXPORT
    label = _("the replies file (download it and upload it to the upstream system)")
    pushes = False

    def deliver(self, message: UpstreamMessage) -> None:
        """Hand the message to the upstream system; raise if it was not accepted."""
        raise NotImplementedError


class FileExportAdapter(UpstreamAdapter):
    """Needs no configuration: the message waits in the replies file."""


FILE_ADAPTER = FileExportAdapter()
# Adapters registered by code (a deployment's AppConfig.ready, or a test's fake upstream
# system); they take precedence over ANXIN_UPSTREAM_ADAPTERS.
_registered: dict[str, UpstreamAdapter] = {}
_from_settings: dict[str, UpstreamAdapter] = {}


def adapter_register(channel: str, adapter: UpstreamAdapter | None) -> None:
    """Register (or, with None, remove) the push adapter of a channel."""
    if adapter is None:
        _registered.pop(channel, None)
    else:
        _registered[channel] = adapter


def adapter_for(channel: str) -> UpstreamAdapter:
    """The channel's adapter: registered, else named in settings, else the file export."""
    if channel in _registered:
        return _registered[channel]
    path = (getattr(settings, "ANXIN_UPSTREAM_ADAPTERS", None) or {}).get(channel)
    if not path:
        return FILE_ADAPTER
    if path not in _from_settings:
        _from_settings[path] = import_string(path)()
    return _from_settings[path]


def adapter_label(key: str) -> str:
    """What staff read for the adapter that carried a message."""
    if key == FILE_EXPORT:
        return str(FileExportAdapter.label)
    for adapter in [*_registered.values(), *_from_settings.values()]:
        if adapter.key == key:
            return str(adapter.label)
    return str(_("a system no longer configured"))


def upstream_message_send(*, actor, order, kind: str, text: str, columns: dict) -> UpstreamMessage:
    """Record a message to the order's upstream source, carried by the channel's adapter.

    Changes: one UpstreamMessage row (the caller holds the order's lock). Sends (after
    commit): the message through a push adapter, if the channel has one; the file export
    sends nothing (the message is in the replies file)."""
    adapter = adapter_for(order.channel)
    message = UpstreamMessage.objects.create(
        order=order, kind=kind, text=text, columns=columns, via=adapter.key, recorded_by=actor
    )
    if adapter.pushes:
        send_on_commit(
            lambda: _deliver(adapter, message.pk),
            kind="upstream_message",
            description=f"{kind} to {order.channel} {order.reference} via {adapter.key}",
            payload={"channel": order.channel, "reference": order.reference, "kind": kind},
        )
    return message


def _deliver(adapter: UpstreamAdapter, message_id: int) -> None:
    message = UpstreamMessage.objects.select_related("order").get(pk=message_id)
    adapter.deliver(message)
    # Only now, after the upstream system accepted it (no history on this table: one fact).
    UpstreamMessage.objects.filter(pk=message_id, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
