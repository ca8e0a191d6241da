"""Requests per token and minute, counted in the shared cache (Redis when REDIS_URL is set)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from platforms.api.errors import ApiError

WINDOW_SECONDS = 60
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def check_rate(*, token_id: int, method: str) -> None:
    """Raise a 429 ApiError (with Retry-After) past the token's reads or writes this minute.

    Fixed windows: one atomic increment a request, and a burst can at most double the rate at
    a window's edge, which is what a per-minute limit promises to a client anyway."""
    writing = method.upper() not in SAFE_METHODS
    limit = settings.ANXIN_API_WRITES_PER_MINUTE if writing else settings.ANXIN_API_READS_PER_MINUTE
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"api:rate:{token_id}:{'w' if writing else 'r'}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count > limit:
        wait = max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
        raise ApiError(
            429,
            "rate_limited",
            _("Too many requests: at most %(limit)d a minute. Try again in %(seconds)d seconds.")
            % {"limit": limit, "seconds": wait},
            headers={"Retry-After": str(wait)},
        )
