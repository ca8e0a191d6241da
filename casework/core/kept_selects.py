"""Objects read by a statement kept per process, for a query every intake or transition runs
with one value changing (the case's open clocks, locked; the team to tell).

Building and compiling a queryset cost a few tenths of a millisecond of CPU each time; its SQL
depends only on what the caller's key names and on one value, which the kept statement takes
as a parameter. The rows become objects as the ORM makes them (`Model.from_db`, through the
fields' converters). On other databases than PostgreSQL (SQLite for `make run`) the queryset
is simply run.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import QuerySet

MAX_KEPT = 256
# What the queryset is built with in place of the value, found again among its parameters.
SLOT = -(2**62) + 7919

_kept: dict = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    slot: int  # where the value goes among the parameters
    attnames: tuple
    columns: tuple


def _compiled(queryset: QuerySet) -> _Statement | None:
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    slots = [n for n, param in enumerate(params) if param == SLOT]
    selected = compiler.select[: compiler.col_count]
    if (
        len(slots) != 1
        or compiler.klass_info is None
        or compiler.klass_info.get("related_klass_infos")
    ):
        return None  # not a plain query of one model with one value: not kept
    columns = tuple(column for column, _sql, _alias in selected)
    attnames = tuple(column.target.attname for column in columns)
    return _Statement(sql, tuple(params), slots[0], attnames, columns)


def kept_objects(key, model, build: Callable[[object], QuerySet], value) -> list:
    """The objects of `build(value)`, a queryset of `model` read as part of a write (on the
    database writes go to; no select_related, no deferred field), whose SQL is kept under
    `key`: `build` is called with SLOT, once."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return list(build(value))
    statement = _kept.get(key)
    if statement is None:
        statement = _compiled(build(SLOT).using(alias))
        if statement is None:
            return list(build(value))
        with _lock:
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            _kept[key] = statement
    params = list(statement.params)
    params[statement.slot] = value
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        found = cursor.fetchall()
    converters = [
        (position, functions, column)
        for position, column in enumerate(statement.columns)
        if (
            functions := connection.ops.get_db_converters(column)
            + column.get_db_converters(connection)
        )
    ]
    objects = []
    for row in found:
        row = list(row[: len(statement.columns)])
        for position, functions, column in converters:
            for convert in functions:
                row[position] = convert(row[position], column, connection)
        objects.append(model.from_db(alias, statement.attnames, row))
    return objects
