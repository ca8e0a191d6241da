"""A platform API token for the demo's platform representative, made once and printed once
(only its hash is kept, as for every token): `make run`'s first start shows it with the logins,
so the README's curl examples work on the demo at once."""

from casework.organisation.models import User
from platforms.api.models import ApiToken
from platforms.api.services import token_create

DEMO_TOKEN_USER = "suda.rep"  # noqa: S105 (a username, not a secret)


def demo_api_token() -> str | None:
    """The new token's secret, or None when the demo representative already has a token (its
    secret was printed then; a new one is made at /platform/tokens/)."""
    user = User.objects.filter(username=DEMO_TOKEN_USER).first()
    if user is None or ApiToken.objects.filter(representative__user=user).exists():
        return None
    _token, secret = token_create(actor=user, name="演示 / demo", valid_days=90)
    return secret
