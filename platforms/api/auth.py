"""Bearer tokens: who is asking, refused at once when revoked or expired, and rate-limited."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from platforms.api.access import scope_user_to_token
from platforms.api.errors import ApiError
from platforms.api.models import ApiToken
from platforms.api.ratelimit import check_rate
from platforms.api.services import TOKEN_PREFIX, token_hash, token_record_use


def _refuse(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": 'Bearer realm="anxin"'})


def token_for_secret(secret: str) -> ApiToken:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        raise _refuse("token_invalid", _("This API token is not valid."))
    token = (
        ApiToken.objects.select_related("representative__user")
        .filter(token_hash=token_hash(secret))
        .first()
    )
    if token is None or not token.representative.user.is_active:
        raise _refuse("token_invalid", _("This API token is not valid."))
    if token.revoked_at is not None:
        raise _refuse(
            "token_revoked", _("This API token was revoked. Make a new one on the portal.")
        )
    if token.expires_at <= timezone.now():
        raise _refuse(
            "token_expired", _("This API token has expired. Make a new one on the portal.")
        )
    return token


class TokenAuth(HttpBearer):
    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            raise _refuse("unauthenticated", _("Send your API token: Authorization: Bearer …"))
        return super().__call__(request)

    def authenticate(self, request, token: str):
        api_token = token_for_secret(token or "")
        check_rate(token_id=api_token.pk, method=request.method)
        token_record_use(api_token)
        request.api_token = api_token
        request.user = scope_user_to_token(api_token)
        return api_token
