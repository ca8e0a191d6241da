"""Rows written in bulk (`bulk_create`, simple-history's `bulk_history_create`) send no signal:
their writers hand them here, in the same transaction, so the audit chain (casework.audit,
which registers itself) appends them like any other row. Writers below the audit package
cannot import it; this module imports nothing."""

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, ExitStack, contextmanager

_listeners: list[Callable[[list], None]] = []
_batchers: list[Callable[[], AbstractContextManager]] = []


def on_rows_written(listener: Callable[[list], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def on_batch(opener: Callable[[], AbstractContextManager]) -> None:
    if opener not in _batchers:
        _batchers.append(opener)


def rows_written(rows: Iterable) -> None:
    """Tell the audit chain about saved rows (with their primary keys) no signal announced."""
    rows = list(rows or ())
    if rows:
        for listener in _listeners:
            listener(rows)


@contextmanager
def rows_batched():
    """Inside a transaction: the audit chain appends the rows the block writes (signalled or
    told here) together when it ends, in one statement, rather than one per table written."""
    with ExitStack() as stack:
        for opener in _batchers:
            stack.enter_context(opener())
        yield
