from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.documents.choices import DocumentStatus


class Document(models.Model):
    """A rendered PDF of an agreement or a contract, and what proves it genuine.

    The verification code is printed on every page; the public verification page compares a
    presented file against `sha256` and shows only `public_summary`, never personal data.
    """

    code = models.CharField(_("verification code"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200)
    # what the public verification page may show: kind, dates, the issuing body; no names
    public_summary = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    template_version = models.CharField(_("template version"), max_length=40)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-requested_at"], name="document_subject"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.code})"

    @property
    def status_label(self) -> str:
        return DocumentStatus(self.status).label
