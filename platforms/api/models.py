"""Access tokens of the platform API and the answers kept for Idempotency-Key replays."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ApiToken(models.Model):
    """A representative's key to the API: it reads and answers what the representative's
    company (and the companies below it) may, until it expires or is revoked.

    Only a SHA-256 of the secret is kept (a token is 256 random bits, so no slow hash is
    needed); the secret is shown once, when it is made. `prefix` lets the representative tell
    their tokens apart."""

    representative = models.ForeignKey(
        "platforms.Representative",
        verbose_name=_("representative"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # The hash never goes into history; last use is a stamp, not a change worth a history row.
    history = HistoricalRecords(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class IdempotentRequest(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed for the same key.

    The row is written (and committed) before the work starts: a second request with the key
    finds it and waits for, or is told about, the first instead of doing the work again."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotent_request_unique")
        ]

    def __str__(self):
        return f"{self.token_id} {self.key}"
