"""Per-client limits on sign-in attempts, counted in Django's cache (Redis in production).

A lockout per username or number stops guessing one account; these limits stop one client
guessing many (or making the server text many numbers). Counts live in fixed windows of
ANXIN_IP_WINDOW_SECONDS: every process that shares the cache sees the same count.
"""

import logging
import math
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)
_NOT_IN_ADDRESS = re.compile(r"[^0-9A-Za-z.:]")
_last_outage_log = 0.0


def _cache_down(error: Exception) -> None:
    """The cache (Redis) is unreachable: the limits open rather than stopping every sign-in
    (each account's lock is in the database and still holds). Logged once a minute at most."""
    global _last_outage_log
    now = time.monotonic()
    if now - _last_outage_log >= 60:
        _last_outage_log = now
        logger.warning("Sign-in limits per address are off: the cache is unreachable (%s)", error)


class ClientThrottled(Exception):
    """Too many attempts from one client: `message` is translated and says how long to wait."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind our TLS proxy the entry it appended last
    to X-Forwarded-For (earlier entries come from the client and can be forged)."""
    if settings.ANXIN_BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-1][:64]
    return request.META.get("REMOTE_ADDR", "")[:64] or "unknown"


def _window() -> tuple[int, int]:
    seconds = settings.ANXIN_IP_WINDOW_SECONDS
    start = int(time.time()) // seconds * seconds
    return start, seconds


def _key(scope: str, ip: str, start: int) -> str:
    # An address is digits, letters, dots and colons; anything else cannot reach a cache key.
    return f"anxin:ratelimit:{scope}:{_NOT_IN_ADDRESS.sub('_', ip)[:64]}:{start}"


def throttle_hit(*, scope: str, ip: str, limit: int) -> str:
    """Count one attempt of `scope` from `ip`; raise ClientThrottled beyond `limit` a window.
    Returns the counter's key, for throttle_forgive.

    Counting comes first (an atomic increment), so parallel requests cannot all slip under
    the limit before any of them is counted.
    """
    start, seconds = _window()
    key = _key(scope, ip, start)
    try:
        # Expire a little after the window ends; add() is a no-op when the key exists.
        cache.add(key, 0, timeout=seconds + 60)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=seconds + 60)
            count = 1
    except Exception as error:  # redis-py's ConnectionError, TimeoutError, ...
        _cache_down(error)
        return key
    if count > limit:
        minutes = max(1, math.ceil((start + seconds - time.time()) / 60))
        raise ClientThrottled(
            ngettext(
                "Too many attempts from your network. Please wait %(minutes)d minute "
                "and try again.",
                "Too many attempts from your network. Please wait %(minutes)d minutes "
                "and try again.",
                minutes,
            )
            % {"minutes": minutes}
        )
    return key


def throttle_forgive(key: str) -> None:
    """Take back one attempt counted by throttle_hit (it turned out to be a success)."""
    try:
        cache.decr(key)
    except ValueError:  # the window has ended and its count expired: nothing to take back
        return
    except Exception as error:
        _cache_down(error)


def cache_get(key: str, default=None):
    """cache.get that answers `default` while the cache is unreachable."""
    try:
        return cache.get(key, default)
    except Exception as error:
        _cache_down(error)
        return default


def cache_set(key: str, value, timeout: int) -> None:
    """cache.set that does nothing while the cache is unreachable."""
    try:
        cache.set(key, value, timeout)
    except Exception as error:
        _cache_down(error)
