"""In-process copies of small configuration tables that every intake or transition reads:
routing rules and the teams covering each street, clock rules, webhook endpoints, the streets
and platforms of the intake form. A query each cost its planning and Python for a few rows.

Each process keeps its own copies and checks them against one token in the shared cache
(Redis in production: every uvicorn worker, task worker and sweep reads the same one), read
once per request (once per use outside a request): saving or deleting a row of a watched
model, or changing a watched many-to-many, replaces the token at once and again when the
transaction commits, so every process rebuilds its copies on their next use and none keeps
what another has just changed. A request sees the tables as they were at its first use.

Writes that send no signal (QuerySet.update, bulk_create, raw SQL) call `forget()`. A copy is
also rebuilt after MAX_AGE_SECONDS whatever happens, so that a change this process read
before it was rolled back cannot outlive that. While the cache cannot be reached, every use
reads the table (a copy is never trusted without the token).
"""

import logging
import time
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

from casework.core.outbound import send_on_commit

logger = logging.getLogger(__name__)
GENERATION_KEY = "anxin:table-copies"
MAX_AGE_SECONDS = 300

# The token as this request first read it ({} until then; None outside a request).
_request_token: ContextVar[dict | None] = ContextVar("table_copies_token", default=None)


def _new_request(**_kwargs) -> None:
    _request_token.set({})


def _request_over(**_kwargs) -> None:
    _request_token.set(None)  # a thread that serves no request reads the token at each use


request_started.connect(_new_request, dispatch_uid="table_copies_new_request")
request_finished.connect(_request_over, dispatch_uid="table_copies_request_over")


def _token() -> str | None:
    seen = _request_token.get()
    if seen and "token" in seen:
        return seen["token"]
    try:
        token = cache.get(GENERATION_KEY)
        if token is None:  # first use, or the cache was emptied
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            token = cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("Cache unreachable: configuration tables read from the database")
        return None
    if seen is not None and token is not None:
        seen["token"] = token
    return token


def remember_for_request(token: str | None) -> None:
    """The token, read in one round trip with others (casework/organisation/principal.py):
    this request's, so its first use reads nothing more."""
    seen = _request_token.get()
    if seen is not None and token is not None and "token" not in seen:
        seen["token"] = token


def forget(**_kwargs) -> None:
    """Every process rebuilds its copies on their next use (this request too)."""
    token = uuid.uuid4().hex
    try:
        cache.set(GENERATION_KEY, token, timeout=None)
    except Exception:  # the copies are not trusted without the token (see _token)
        logger.warning("Could not replace the configuration tables' token", exc_info=True)
        token = None
    seen = _request_token.get()
    if seen is not None:
        seen.pop("token", None)
        if token is not None:
            seen["token"] = token


def _changed(*, using=None, action: str | None = None, **_kwargs) -> None:
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: once the rows have changed
    forget()  # other processes may read the old rows until commit: again then
    send_on_commit(forget, kind="cache", description="configuration tables changed", using=using)


class TableCopy[T]:
    """`build()` read once per process and kept while no watched table changes.

    The value is shared by every thread of the process: callers read it, never change it
    (nor the model instances in it)."""

    def __init__(
        self,
        name: str,
        build: Callable[[], T],
        *,
        watch: Iterable[type] = (),
        watch_many_to_many: Iterable[type] = (),
    ):
        self.name = name
        self._build = build
        self._held: tuple[str, float, T] | None = None
        for model in watch:
            for signal in (post_save, post_delete):
                signal.connect(
                    _changed,
                    sender=model,
                    dispatch_uid=f"table_copies:{model._meta.label}:{id(signal)}",
                )
        for through in watch_many_to_many:
            m2m_changed.connect(
                _changed, sender=through, dispatch_uid=f"table_copies:{through._meta.label}"
            )

    def get(self) -> T:
        token = _token()
        held = self._held
        if (
            held is not None
            and token is not None
            and held[0] == token
            and time.monotonic() - held[1] < MAX_AGE_SECONDS
        ):
            return held[2]
        value = self._build()
        if token is not None:
            self._held = (token, time.monotonic(), value)
        return value
