"""Writes of the platform API: tokens made and revoked by their representative, last use."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused, NotFound
from platforms.api.models import ApiToken
from platforms.models import Representative

TOKEN_PREFIX = "anx_"  # noqa: S105 (what every token starts with, not a secret)
# How often the last use of a token is written: every request would be a write per read.
LAST_USE_PRECISION = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _representation(actor) -> Representative:
    if not getattr(actor, "is_authenticated", False):
        raise NotFound
    representation = (
        Representative.objects.filter(user=actor).select_related("company").order_by("pk").first()
    )
    if representation is None:
        raise NotFound  # tokens are for representatives only
    return representation


def token_create(*, actor, name: str, valid_days: int | None = None) -> tuple[ApiToken, str]:
    """Make a token for the actor's company, valid `valid_days` (default 90, at most 365).
    Returns the token and its secret, which is never shown again: only its hash is kept."""
    representation = _representation(actor)
    name = (name or "").strip()
    if not name:
        raise ActionRefused(
            _("Give the token a name, e.g. the system that will use it."), field="name"
        )
    days = settings.ANXIN_API_TOKEN_DEFAULT_DAYS if valid_days is None else valid_days
    if not 1 <= days <= settings.ANXIN_API_TOKEN_MAX_DAYS:
        raise ActionRefused(
            _("A token is valid for 1 to %(max)d days.")
            % {"max": settings.ANXIN_API_TOKEN_MAX_DAYS},
            field="valid_days",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        representative=representation,
        name=name[:100],
        prefix=secret[:12],
        token_hash=token_hash(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    token._history_user = actor
    token.save()
    return token, secret


def token_revoke(*, actor, token_id) -> ApiToken:
    """Revoke one of the actor's tokens: the next request with it is refused."""
    with transaction.atomic():
        try:
            token = ApiToken.objects.select_for_update().get(
                pk=int(token_id), representative__user=actor
            )
        except (ApiToken.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
            raise NotFound from exc
        if token.revoked_at is not None:
            raise ActionRefused(_("This token was already revoked."))
        token.revoked_at = timezone.now()
        token._history_user = actor
        token.save(update_fields=["revoked_at"])
    return token


def token_record_use(token: ApiToken) -> None:
    """Stamp the token's last use, at most once a minute. A plain UPDATE: last use is left out
    of the token's history (a row a minute would bury its real changes)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
