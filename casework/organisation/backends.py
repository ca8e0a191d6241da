"""The authentication backend: Django's model backend, with the signed-in user kept in memory
between requests (casework/organisation/principal.py says how it stays right)."""

from django.contrib.auth.backends import ModelBackend

from casework.organisation.models import User
from casework.organisation.principal import MISSING, read_tokens, users

_FIELDS = [field.attname for field in User._meta.concrete_fields]


class PrincipalBackend(ModelBackend):
    """Django's model backend, reading the signed-in user from this process's memory while the
    user's token stands. Sessions check the password hash as always (`get_session_auth_hash`)."""

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        tokens = read_tokens(user_id)
        if tokens is None:
            return super().get_user(user_id)
        row = users.get(user_id, tokens.user)
        if row is MISSING:
            user = super().get_user(user_id)
            if user is None:
                return None
            users.put(user_id, tokens.user, tuple(getattr(user, name) for name in _FIELDS))
        else:
            user = User.from_db("default", _FIELDS, row)
            if not self.user_can_authenticate(user):
                return None
        user._anxin_tokens = tokens
        return user
