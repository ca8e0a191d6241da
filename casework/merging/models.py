"""What a merge and a split leave behind: which case absorbed which, and which case was split
off from which, with who did it, when and why (the case's own history has the state change)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CaseMerge(models.Model):
    """A duplicate (`merged`) whose evidence, notes, parties and chosen amounts moved to the
    surviving case. The duplicate stays, in the "merged" state, with its own timeline."""

    merged = models.OneToOneField(
        "casework.Case",
        verbose_name=_("merged case"),
        on_delete=models.PROTECT,
        related_name="merge_record",
    )
    survivor = models.ForeignKey(
        "casework.Case",
        verbose_name=_("surviving case"),
        on_delete=models.PROTECT,
        related_name="absorbed",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("merged by"), on_delete=models.PROTECT
    )
    reason = models.TextField(_("reason"))
    # Field -> which case's value the survivor kept ("survivor" or "merged"), and the values.
    choices = models.JSONField(_("fields chosen"), default=dict, blank=True)
    moved = models.JSONField(_("what moved"), default=dict, blank=True)
    created_at = models.DateTimeField(_("merged"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case merge")
        verbose_name_plural = _("case merges")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.merged_id} -> {self.survivor_id}"


class CaseSplit(models.Model):
    """A second grievance taken out of a complaint into a case of its own (`new_case`)."""

    original = models.ForeignKey(
        "casework.Case",
        verbose_name=_("original case"),
        on_delete=models.PROTECT,
        related_name="split_off",
    )
    new_case = models.OneToOneField(
        "casework.Case",
        verbose_name=_("new case"),
        on_delete=models.PROTECT,
        related_name="split_record",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("split by"), on_delete=models.PROTECT
    )
    reason = models.TextField(_("reason"))
    moved = models.JSONField(_("what moved"), default=dict, blank=True)
    created_at = models.DateTimeField(_("split"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case split")
        verbose_name_plural = _("case splits")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_id} -> {self.new_case_id}"
