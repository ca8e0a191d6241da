from django.db import models
from django.utils.translation import gettext_lazy as _


class OneTimeCode(models.Model):
    """A sign-in code sent to a worker's mobile. Only its keyed hash is stored."""

    mobile = models.CharField(_("mobile number"), max_length=11, db_index=True)
    code_hash = models.CharField(_("code hash"), max_length=128)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.mobile} @ {self.created_at:%Y-%m-%d %H:%M}"


class SignInLock(models.Model):
    """Consecutive sign-in failures for one key ("staff:<username>", "otp:<mobile>").

    Kept in the database, not the cache, so that every ASGI worker sees the same count, and
    locked (select_for_update) while an attempt is checked. Rows exist only for usernames of
    accounts and numbers a code was sent to; other usernames count in the cache.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")

    def __str__(self):
        return self.key
