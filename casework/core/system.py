"""The system account: the actor of what no person did (the sweep, scheduled jobs)."""

from django.conf import settings
from django.contrib.auth import get_user_model


def system_user():
    return get_user_model().objects.get(username=settings.ANXIN_SYSTEM_USERNAME)
