"""`bulk_create` for the few rows every intake and transition writes, its SQL kept per process.

Building an INSERT through the ORM (an InsertQuery, its compiler, the returning fields) cost
about a tenth of a millisecond of CPU a statement, and an intake or a transition writes six of
them (history rows, the clock, the timeline entry, the notification): the statement depends
only on the model and the number of rows, so it is built once. What is inserted is what
`bulk_create` inserts: each field's value as `pre_save` (auto_now_add) and
`get_db_prep_save` give it, the new primary keys set on the objects. Like `bulk_create`, no
signal is sent.

On other databases than PostgreSQL (SQLite for `make run`), for many rows, and for anything
out of the ordinary (a primary key already set, a value that is an expression),
`bulk_create` does it.
"""

from django.db import connections, router
from django.db.models.expressions import Expression

from casework.core.memo import MISSING, Memo

MAX_KEPT = 256
# More rows than this (an import, the sweep's notifications) go through `bulk_create`, which
# batches them within the protocol's parameter limit; a statement per row count is kept.
MAX_ROWS = 16

_kept = Memo(size=MAX_KEPT)


def _statement(model, rows: int, connection) -> tuple[str, list]:
    key = (model, rows, connection.alias)
    found = _kept.get(key)
    if found is MISSING:
        opts = model._meta
        fields = [f for f in opts.concrete_fields if not f.primary_key and not f.generated]
        quote = connection.ops.quote_name
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = (
            f"INSERT INTO {quote(opts.db_table)} "  # noqa: S608 (names from the model)
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES {', '.join([row] * rows)} RETURNING {quote(opts.pk.column)}"
        )
        found = (sql, fields)
        _kept.put(key, None, found)
    return found


def insert_rows(objs: list) -> list:
    """Insert `objs` (unsaved instances of one model) as `Model.objects.bulk_create(objs)`
    would, and return them with their primary keys."""
    if not objs:
        return objs
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if (
        connection.vendor != "postgresql"
        or len(objs) > MAX_ROWS
        or any(obj.pk is not None or type(obj) is not model for obj in objs)
        or model._meta.parents
    ):
        return model._default_manager.bulk_create(objs)
    sql, fields = _statement(model, len(objs), connection)
    params = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        for field in fields:
            value = field.pre_save(obj, True)
            if isinstance(value, Expression) or hasattr(value, "resolve_expression"):
                return model._default_manager.bulk_create(objs)
            params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [row[0] for row in cursor.fetchall()]
    pk = model._meta.pk
    converters = connection.ops.get_db_converters(pk.get_col(model._meta.db_table))
    for obj, key in zip(objs, keys, strict=True):
        for convert in converters:
            key = convert(key, pk, connection)
        obj.pk = key
        obj._state.adding = False
        obj._state.db = alias
    return objs
