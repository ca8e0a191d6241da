"""Querysets whose SQL is compiled once per process and bound to new values on each call.

Building and compiling a queryset (filters, joins, annotations, ordering) costs Python about a
third of a millisecond each time, often more than PostgreSQL takes to answer it; a page that
reads nine tables paid about three milliseconds for SQL text that never changes. `fetch`
builds a queryset once per key, keeps its compiled SQL, and on later calls runs that SQL with
the caller's values in place. Rows become model instances (or `values_list` tuples) through
the queryset's own iterable, so select_related, annotations, field converters and
prefetch_related behave as with `list(queryset)`.

Which parameters are the caller's values: the queryset is built twice, with two different
sets of stand-ins (integers for integers, text for text). The SQL must be identical and the
parameters may differ only where a stand-in stands; anything else (a value the SQL text
depends on, a stand-in transformed on the way) makes the shape unkeepable, and it is then
built and compiled on every call, as before. So the key must name everything else the SQL
depends on (the user's scope, the day, a filter), exactly as a cache key would.
"""

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import QuerySet

from casework.core.memo import MISSING, Memo

MAX_KEPT = 4096
# A kept statement is rebuilt after this long whatever its key says: one keyed by a user's
# scope tokens then follows a change whose tokens the cache failed to replace (principal.py
# trusts its own copies as long).
MAX_AGE_SECONDS = 60.0

# Stand-ins for the caller's values: negative, so never a row's id, and within 32 bits, so
# Django's lookups on an IntegerField keep them (out-of-range values make no SQL at all). The
# two sets are spaced differently, so that no arithmetic on a value (`pk + 1`) turns one
# stand-in into another in both sets at once.
_FIRST = tuple(-1_900_000_001 - 7_919 * n for n in range(32))
_SECOND = tuple(-1_800_000_001 - 104_729 * n for n in range(32))


@dataclass(frozen=True)
class _Kept:
    queryset: QuerySet
    compiler: object
    sql: str
    params: tuple
    slots: tuple  # (position in params, index of the caller's value)


_UNKEEPABLE = object()
_kept = Memo(size=MAX_KEPT, max_age=MAX_AGE_SECONDS)


def fetch(key, build: Callable[..., QuerySet], *values: int | str) -> list:
    """`list(build(*values))`, with the SQL of `build` kept under `key` (the values, ints or text,
    are bound anew on each call; everything else the SQL depends on belongs in the key). A key
    of None keeps nothing."""
    queryset = _bound(key, build, values)
    return list(build(*values) if queryset is None else queryset)


@dataclass(frozen=True)
class Read:
    """One `fetch` of several made together."""

    key: object
    build: Callable[..., QuerySet]
    values: tuple = ()


def fetch_together(*reads: Read) -> list[list]:
    """Several `fetch`es, their kept statements sent to PostgreSQL in one round trip
    (psycopg's pipeline mode) rather than one after another: a page that reads eight small
    tables waited eight times for the network and the server's turn, about 0.3 ms each.
    Elsewhere, and for shapes not kept, they run one after another."""
    bound = [_bound(read.key, read.build, read.values) for read in reads]
    together = [q for q in bound if q is not None and connections[q.db].vendor == "postgresql"]
    if len(together) > 1 and len({q.db for q in together}) == 1 and _pipelines_supported():
        _pipelined(together)
    return [
        list(read.build(*read.values) if queryset is None else queryset)
        for read, queryset in zip(reads, bound, strict=True)
    ]


def _bound(key, build, values) -> QuerySet | None:
    """A queryset that runs the kept SQL with `values`, or None where it is not kept."""
    if key is None:
        return None
    kept = _kept.get(key)
    if kept is MISSING:
        kept = _keep(build, values)
        _kept.put(key, None, kept)
    if kept is _UNKEEPABLE or not _bindable(values):
        return None  # (None binds `= NULL` where the ORM writes `IS NULL`: the ORM decides)
    queryset = kept.queryset._chain()
    if queryset.query.select_for_update and connections[queryset.db].get_autocommit():
        return None  # the ORM refuses a lock outside a transaction; so does this
    params = list(kept.params)
    for position, index in kept.slots:
        params[position] = values[index]
    compiler = copy.copy(kept.compiler)
    # The router answers now: a replica scope (core/replica.py) may have opened or closed.
    compiler.connection = connections[queryset.db]
    compiler.as_sql = partial(_kept_sql, kept.sql, tuple(params))
    queryset.query.get_compiler = partial(_given, compiler)
    return queryset


def _bindable(values: tuple) -> bool:
    """Ints and text only: stand-ins exist for them (and a bool is not an int here)."""
    return all(type(value) in (int, str) for value in values)


@cache
def _pipelines_supported() -> bool:
    """psycopg's pipeline mode needs libpq 14 or later; with an older one, one after another."""
    import psycopg

    return psycopg.Pipeline.is_supported()


def _kept_sql(sql, params, *args, **kwargs):
    return sql, params


def _given(compiler, *args, **kwargs):
    return compiler


def _pipelined(querysets: list[QuerySet]) -> None:
    """Run the querysets' statements in one pipeline; each compiler then hands its rows to
    the queryset's iterable (models, values) instead of running its statement."""
    connection = connections[querysets[0].db]
    compilers = [queryset.query.get_compiler() for queryset in querysets]
    statements = [compiler.as_sql() for compiler in compilers]
    with connection.cursor():  # connected, on this thread, the transaction not broken
        pass
    raw = connection.connection
    started = time.monotonic()
    cursors = [raw.cursor() for _statement in statements]
    try:
        with connection.wrap_database_errors, raw.pipeline():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        with connection.wrap_database_errors:
            found = [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
    if connection.queries_logged:
        took = f"{(time.monotonic() - started) / len(statements):.3f}"
        for sql, params in statements:
            connection.queries_log.append({"sql": f"{sql} -- {params!r}", "time": took})
    for compiler, rows in zip(compilers, found, strict=True):
        if compiler.has_extra_select:  # as Django's cursor_iter: the ordering's own columns
            rows = [row[: compiler.col_count] for row in rows]
        compiler.execute_sql = partial(_fetched, rows)


def _fetched(rows, *args, **kwargs):
    return iter([rows])


def _stand_ins(values: tuple, which: int) -> tuple:
    """The stand-ins of the first or second set for `values`: integers for integers, text
    (that no user types) for text."""
    if which == 0:
        return tuple(
            f"\x1fkept {n} a" if isinstance(v, str) else _FIRST[n] for n, v in enumerate(values)
        )
    return tuple(
        f"\x1fkept {n} b" if isinstance(v, str) else _SECOND[n] for n, v in enumerate(values)
    )


def _keep(build, values: tuple):
    count = len(values)
    if count > len(_FIRST) or not _bindable(values):
        return _UNKEEPABLE
    firsts, seconds = _stand_ins(values, 0), _stand_ins(values, 1)
    first = build(*firsts)
    if first._known_related_objects or any(
        getattr(lookup, "queryset", None) is not None for lookup in first._prefetch_related_lookups
    ):
        return _UNKEEPABLE  # state beside the SQL that may hold a stand-in
    compiler = first.query.get_compiler(using=first.db)
    try:
        sql, params = compiler.as_sql()
        if not values:  # nothing to place: the SQL as it is
            return _Kept(first, compiler, sql, tuple(params), ())
        second = build(*seconds)
        other_sql, other_params = second.query.get_compiler(using=second.db).as_sql()
    except (EmptyResultSet, FullResultSet):
        return _UNKEEPABLE
    if sql != other_sql or len(params) != len(other_params):
        return _UNKEEPABLE
    slots = []
    for position, (one, other) in enumerate(zip(params, other_params, strict=True)):
        if one == other:
            continue
        index = firsts.index(one) if one in firsts else None
        if index is None or other != seconds[index]:
            return _UNKEEPABLE
        slots.append((position, index))
    if {index for _position, index in slots} != set(range(count)):
        return _UNKEEPABLE
    return _Kept(first, compiler, sql, tuple(params), tuple(slots))
