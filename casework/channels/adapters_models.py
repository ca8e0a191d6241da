"""What Anxin told an upstream source about one of its work orders, and by which adapter: the
reply when the case concluded, or the notice that the case was merged into another. One row
per message, never changed afterwards except for the push adapter's acknowledgement."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UpstreamMessageKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    MERGE_NOTICE = "merge_notice", _("Notice: merged into another case")


class UpstreamMessage(models.Model):
    order = models.ForeignKey(
        "casework.UpstreamOrder",
        verbose_name=_("upstream work order"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UpstreamMessageKind.choices)
    text = models.TextField(_("text"))
    # The values of the upstream's columns (result, recovered, satisfaction, case), so the
    # file export lays them out the way that upstream system reads them.
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    # The adapter that carries it: "file" (the replies file staff upload) or a push adapter's
    # key. Kept as text: an adapter removed from settings leaves its messages readable.
    via = models.CharField(_("sent via"), max_length=40)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set only by a push adapter once the upstream system accepted the message.
    delivered_at = models.DateTimeField(_("accepted by the upstream system"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to an upstream source")
        verbose_name_plural = _("messages to upstream sources")
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.order_id}: {self.kind}"
