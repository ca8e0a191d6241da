"""The system account: the actor of what no person did (the sweep, scheduled jobs)."""

from django.conf import settings

from casework.organisation.models import User


def system_user() -> User:
    return User.objects.get(username=settings.ANXIN_SYSTEM_USERNAME)
