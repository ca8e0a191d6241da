"""Upstream systems' tokens: made and revoked by a supervisor of the street or park they file
into; each is bound to one channel and one unit. The secret is shown once."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.channels.models import UPSTREAM_CHOICES, UpstreamToken
from casework.core.errors import ActionRefused, NotFound
from casework.organisation.access import scope_for
from casework.organisation.choices import UnitKind
from casework.organisation.models import Unit, User

TOKEN_PREFIX = "anxup_"  # noqa: S105 (what every upstream token starts with, not a secret)
VALID_DAYS = 365
LAST_USE_PRECISION = timedelta(minutes=1)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_units(user: User):
    """Streets and parks whose tokens the user may manage: those they supervise."""
    scope = scope_for(user)
    units = Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.PARK]).order_by("name")
    return units if scope.is_admin else units.filter(pk__in=scope.supervised_unit_ids)


def upstream_token_create(
    *, actor: User, name: str, channel: str, unit: Unit
) -> tuple[UpstreamToken, str]:
    """Changes: a new token (its hash). Returns the token and its secret, shown once."""
    name = " ".join(str(name or "").split())[:100]
    if not name:
        raise ActionRefused(_("Name the system that will use the token."), field="name")
    if channel not in dict(UPSTREAM_CHOICES):
        raise ActionRefused(_("Choose the channel."), field="channel")
    if unit is None or not token_units(actor).filter(pk=unit.pk).exists():
        raise ActionRefused(_("You do not supervise this street or park."), field="unit")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = UpstreamToken(
        name=name,
        channel=channel,
        unit=unit,
        prefix=secret[:12],
        token_hash=secret_hash(secret),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=VALID_DAYS),
    )
    token._history_user = actor
    token.save()
    return token, secret


def upstream_token_revoke(*, actor: User, token_id) -> UpstreamToken:
    """Changes: the token's revocation time (it stops working at once). Sends nothing."""
    with transaction.atomic():
        token = (
            UpstreamToken.objects.select_for_update()
            .filter(pk=token_id, unit__in=token_units(actor))
            .first()
        )
        if token is None:
            raise NotFound
        if token.revoked_at is not None:
            raise ActionRefused(_("This token was revoked already."))
        token.revoked_at = timezone.now()
        token._history_user = actor
        token.save(update_fields=["revoked_at"])
    return token


def upstream_token_record_use(token: UpstreamToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USE_PRECISION:
        UpstreamToken.objects.filter(pk=token.pk).update(last_used_at=now)
