"""What a case holds besides itself: the employer chain named in it, evidence files, notes;
and the intake's reference counter and saved drafts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from platforms.choices import CompanyKind


class CaseParty(models.Model):
    """One link of the employer chain named in a case, in order from the platform down."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="parties")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=CompanyKind.choices)
    company = models.ForeignKey(
        "platforms.Company",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_parties",
    )
    name = models.CharField(
        _("name as given"), max_length=200, blank=True, help_text=_("When the company is unknown.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="party_position_unique"),
            models.CheckConstraint(
                condition=Q(company__isnull=False) | ~Q(name=""), name="party_named"
            ),
        ]

    def __str__(self):
        return str(self.company) if self.company_id else self.name


def evidence_path(instance, filename: str) -> str:
    # Never the uploaded name: a content hash under the case, outside the web root.
    return f"evidence/{instance.case_id}/{instance.sha256}"


class Evidence(models.Model):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["case", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class CaseNote(models.Model):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    is_public = models.BooleanField(_("visible to the worker"), default=False)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["case", "created_at", "pk"]

    def __str__(self):
        return self.body[:40]
