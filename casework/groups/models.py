from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The title the system gives a group it forms (casework.groups.services).
GENERATED_TITLE = _("Complaints against %(employer)s")


class CaseGroup(models.Model):
    """Complaints against one employer over overlapping periods, confirmed by a coordinator.

    At ANXIN_COLLECTIVE_THRESHOLD workers the group is a collective case (tier 1).
    """

    employer = models.ForeignKey(
        "platforms.Company", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    collective_since = models.DateTimeField(_("collective since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case group")
        verbose_name_plural = _("case groups")
        ordering = ["-created_at"]

    def __str__(self):
        return self.localized_title

    @property
    def localized_title(self) -> str:
        """A title the system wrote ("涉及某平台的投诉") in the reader's language; a title a
        person wrote as they wrote it."""
        employer = {"employer": self.employer.name}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                if self.title == GENERATED_TITLE % employer:
                    break
        else:
            return self.title
        return str(GENERATED_TITLE) % employer

    @property
    def is_collective(self) -> bool:
        return self.collective_since is not None
