"""The queue page's SQL, kept in each process for the filters, the scope and the day it was
built for.

Building and compiling the queue's query (the visibility filter, the queue's own filter, three
subqueries for the nearest clock) was about 2 ms of the page's 8 ms of CPU, and a coordinator
loads the same queue all day. The caller's key names everything the SQL depends on; the rows
are read from the database on every request, through the fields' converters as Django's own
`values_list` does (`SQLCompiler.results_iter`).
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

MAX_KEPT = 1024


@dataclass(frozen=True)
class _Statement:
    alias: str
    sql: str
    params: tuple
    columns: tuple  # the selected expressions, for their converters
    width: int  # columns the caller asked for (ordering may add more)


_kept: dict = {}
_lock = threading.Lock()


def rows(key, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of `build()`, a `values_list` queryset, its SQL kept under `key`."""
    statement = _kept.get(key)
    if statement is None:
        queryset = build()
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        columns = tuple(selected[0] for selected in compiler.select[: compiler.col_count])
        statement = _Statement(queryset.db, sql, tuple(params), columns, compiler.col_count)
        with _lock:
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            _kept[key] = statement
    connection = connections[statement.alias]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        found = [row[: statement.width] for row in cursor.fetchall()]
    converters = [
        (position, converters, column)
        for position, column in enumerate(statement.columns)
        if column is not None
        and (
            converters := connection.ops.get_db_converters(column)
            + column.get_db_converters(connection)
        )
    ]
    if not converters:
        return [tuple(row) for row in found]
    converted = []
    for row in found:
        row = list(row)
        for position, functions, column in converters:
            value = row[position]
            for convert in functions:
                value = convert(value, column, connection)
            row[position] = value
        converted.append(tuple(row))
    return converted


def forget() -> None:
    with _lock:
        _kept.clear()
