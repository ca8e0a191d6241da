"""The personal-data access log: one row per reveal, evidence download and audit export.
Append-only (PostgreSQL triggers refuse UPDATE and DELETE: casework/audit/tables.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    REVEAL = "reveal", _("Shown in full")
    EVIDENCE = "evidence", _("Evidence file opened")
    AUDIT_EXPORT = "audit_export", _("Audit log exported")
    DOCUMENT = "document", _("Signed document opened")


class PersonalField(models.TextChoices):
    NAME = "name", _("worker's name")
    MOBILE = "mobile", _("mobile number")
    ID_NUMBER = "id_number", _("ID card number")
    EVIDENCE = "evidence", _("evidence file")
    AUDIT_LOG = "audit_log", _("audit log")
    AGREEMENT = "agreement", _("mediation agreement")
    SIGNED_COPY = "signed_copy", _("signed copy")


class DataAccess(models.Model):
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The team the person acted for on this case (what the worker is told), if any.
    team = models.ForeignKey(
        "casework.Team",
        verbose_name=_("team"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AccessKind.choices)
    field = models.CharField(_("what"), max_length=20, choices=PersonalField.choices)
    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Whose data: the worker of the case.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence_id = models.BigIntegerField(_("evidence"), null=True)
    # The case's street or park (the exporter's team unit for an export): supervisors read
    # the rows of their units.
    unit_id = models.BigIntegerField(_("unit"), null=True)
    page = models.CharField(_("from page"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        indexes = [
            models.Index(fields=["-at", "-id"], name="dataaccess_new"),
            models.Index(fields=["unit_id", "-at", "-id"], name="dataaccess_unit_new"),
            models.Index(
                fields=["case", "-at"], condition=Q(case__isnull=False), name="dataaccess_case"
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.kind} {self.field}"
