from django.utils.functional import SimpleLazyObject

from casework.notifications.selectors import unread_count


def notifications(request):
    """The unread badge: counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
