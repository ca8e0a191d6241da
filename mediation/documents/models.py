from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.documents.choices import DocumentStage, DocumentStatus


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
    # a draft printed for signing, or the version that records every signature
    stage = models.CharField(
        _("stage"), max_length=20, choices=DocumentStage.choices, default=DocumentStage.DRAFT
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # where the QR code sends a reader: ANXIN_PUBLIC_URL, or the address the request came to
    # in development (the rendering task runs outside the request)
    public_url = models.CharField(_("public address"), max_length=200, blank=True)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # the copy for third parties (the employer, the platform): ID numbers masked
    third_party_file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    third_party_sha256 = models.CharField(max_length=64, blank=True)
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


class NumberingSeries(models.Model):
    """How a mediation organisation numbers its documents: 滨人调字〔2026〕第 123 号."""

    team = models.OneToOneField(
        "casework.Team",
        verbose_name=_("mediation organisation"),
        on_delete=models.PROTECT,
        related_name="numbering",
    )
    prefix = models.CharField(
        _("number prefix"),
        max_length=20,
        help_text=_("Printed before the year and the number, as the organisation writes it."),
    )
    issuer_name = models.CharField(
        _("name printed as issuer"),
        max_length=100,
        blank=True,
        help_text=_(
            "The committee's full name as printed on its documents; empty: the team's name."
        ),
    )

    class Meta:
        verbose_name = _("document numbering")
        verbose_name_plural = _("document numbering")

    def __str__(self):
        return f"{self.team} · {self.prefix}"


class NumberCounter(models.Model):
    """The last number an organisation issued in a year; locked while the next is taken."""

    team = models.ForeignKey("casework.Team", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "year"], name="number_counter_once"),
        ]

    def __str__(self):
        return f"{self.team_id}/{self.year}: {self.last_number}"


class DocumentNumber(models.Model):
    """The number a subject (an agreement) was given, and the organisation that issues it."""

    team = models.ForeignKey(
        "casework.Team",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer_name = models.CharField(_("issuer"), max_length=200)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    text = models.CharField(_("document number"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year", "number"], name="document_number_unique"
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="document_number_once"
            ),
        ]

    def __str__(self):
        return self.text
