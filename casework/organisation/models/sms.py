from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsMessage(models.Model):
    """The database SMS outbox: every message the database backend "sends", for admins to read."""

    to = models.CharField(_("to"), max_length=20, db_index=True)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS outbox")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.to}: {self.body[:30]}"
