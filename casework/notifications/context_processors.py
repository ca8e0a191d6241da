from django.utils.functional import SimpleLazyObject

from casework.notifications.selectors import unread_count
from casework.organisation import principal


def notifications(request):
    """The unread badge: counted only when a page shows it, and kept in this process while the
    user's inbox token stands (casework/organisation/principal.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: _unread(user))}


def _unread(user) -> int:
    tokens = principal.tokens_of(user)
    if tokens is None:
        return unread_count(user=user)
    count = principal.inboxes.get(user.pk, tokens.inbox)
    if count is principal.MISSING:
        count = unread_count(user=user)
        principal.inboxes.put(user.pk, tokens.inbox, count)
    return count
