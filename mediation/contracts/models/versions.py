from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mediation.contracts.choices import VersionReason


class ContractVersion(models.Model):
    """The full text of a contract (key terms and every clause) after a change of content.

    Append-only: a new row for each change, numbered from 1, with who, when and why.
    """

    contract = models.ForeignKey(
        "contracts.CollectiveContract",
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    # Why: a key and its parameters, put into words when read (reason_text); `reason` keeps
    # words written before keys were stored.
    reason_key = models.CharField(
        _("why"), max_length=20, choices=VersionReason.choices, blank=True
    )
    reason_params = models.JSONField(_("details of why"), default=dict, blank=True)
    reason = models.CharField(_("why (as written)"), max_length=300, blank=True)
    state = models.CharField(_("status then"), max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="version_number_unique")
        ]

    def __str__(self):
        return f"v{self.number}"

    @property
    def reason_text(self) -> str:
        """Why this version was written, in the reader's language."""
        if self.reason_key not in VersionReason.values:
            return self.reason
        params = self.reason_params or {}
        if self.reason_key == VersionReason.RENEWAL and params.get("title"):
            return gettext("Renewal of “%(title)s” (%(start)s – %(end)s)") % {
                "title": params["title"],
                "start": params.get("start", ""),
                "end": params.get("end", ""),
            }
        label = str(VersionReason(self.reason_key).label)
        if params.get("clause"):
            return f"{label}: {params['clause']}"
        return label
