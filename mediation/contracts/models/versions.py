from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    reason = models.CharField(_("why"), max_length=300)
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
