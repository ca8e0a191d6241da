"""In-process copies of small configuration tables that every intake or transition reads:
routing rules and the teams covering each street, clock rules, webhook endpoints, the streets
and platforms of the intake form. A query each saved nothing but its planning and Python.

Each process keeps its own copy and checks it on every use against a token in the shared
cache (Redis in production: every uvicorn worker, task worker and sweep reads the same one):
saving or deleting a row of a watched model (or changing a watched many-to-many) replaces the
token at once and again when the transaction commits, so every process rebuilds its copy on
its next use and none keeps what another has just changed. One cache read instead of a query.

Writes that send no signal (QuerySet.update, bulk_create, raw SQL) call `forget()`. A copy is
also rebuilt after MAX_AGE_SECONDS whatever happens, so that a change this process read
before it was rolled back cannot outlive that. While the cache cannot be reached, every use
reads the table (the copy is never trusted without its token).
"""

import logging
import time
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)
MAX_AGE_SECONDS = 300
_SIGNALS = (post_save, post_delete)


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
        self.key = f"anxin:table-copy:{name}"
        self._build = build
        self._held: tuple[str, float, T] | None = None
        for model in watch:
            for signal in _SIGNALS:
                signal.connect(
                    self._changed,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"{self.key}:{model._meta.label}:{id(signal)}",
                )
        for through in watch_many_to_many:
            m2m_changed.connect(
                self._changed,
                sender=through,
                weak=False,
                dispatch_uid=f"{self.key}:{through._meta.label}:m2m",
            )

    def get(self) -> T:
        token = self._token()
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

    def forget(self) -> None:
        """Every process rebuilds its copy on its next use."""
        self._held = None
        try:
            cache.set(self.key, uuid.uuid4().hex, timeout=None)
        except Exception:  # the copies are not trusted without their token (see _token)
            logger.warning("Could not replace the token of %s", self.key, exc_info=True)

    def _changed(self, *, using=None, action: str | None = None, **_kwargs) -> None:
        if action is not None and not action.startswith("post_"):
            return  # m2m_changed: once the rows have changed
        self.forget()  # other processes may read the old rows until commit: again then
        transaction.on_commit(self.forget, using=using)

    def _token(self) -> str | None:
        try:
            token = cache.get(self.key)
            if token is None:  # first use, or the cache was emptied
                cache.add(self.key, uuid.uuid4().hex, timeout=None)
                token = cache.get(self.key)
            return token
        except Exception:
            logger.warning("Cache unreachable: reading %s from the database", self.key)
            return None
