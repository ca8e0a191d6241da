"""Rows written in bulk (`bulk_create`, simple-history's `bulk_history_create`) send no signal:
their writers hand them here, in the same transaction, so the audit chain (casework.audit,
which registers itself) appends them like any other row. Writers below the audit package
cannot import it; this module imports nothing."""

from collections.abc import Callable, Iterable

_listeners: list[Callable[[list], None]] = []


def on_rows_written(listener: Callable[[list], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def rows_written(rows: Iterable) -> None:
    """Tell the audit chain about saved rows (with their primary keys) no signal announced."""
    rows = list(rows or ())
    if rows:
        for listener in _listeners:
            listener(rows)
