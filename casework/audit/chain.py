"""The one door to the chain: `append` hashes rows onto it inside the writer's transaction.

One statement per append in the common case. Each connection remembers where the chain ended
when it last wrote; the statement appends after that end only if the chain still ends there:
- PostgreSQL: `UPDATE chain head ... WHERE seq = <end>` and the INSERT of the links in one
  statement (a data-modifying WITH). The head's row lock is held until the writer commits, so
  links are numbered in commit order and no two writers take the same number; a writer that
  waited re-checks the head as committed, finds it moved and inserts nothing.
- SQLite: `INSERT ... WHERE max(seq) = <end>` (a writer holds the whole database).
When nothing was inserted (another process appended, a rollback undid this one's links, a
test emptied the tables) the end is read again under the lock and the links recomputed.
"""

import hashlib

from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from casework.audit.canonical import instance_content
from casework.audit.models import GENESIS, ChainEntry, ChainHead
from casework.audit.tables import CHAINED_MODELS, table_for_model
from casework.core.audit_hook import on_rows_written


def link_hash(previous: str, content: str) -> str:
    """SHA-256 over the previous link's hash (32 bytes) and the canonical content (UTF-8)."""
    return hashlib.sha256(bytes.fromhex(previous) + content.encode()).hexdigest()


def lock_chain() -> tuple[int, str]:
    """Hold the chain until this transaction ends; return where it ends."""
    if connection.vendor == "postgresql":
        head = ChainHead.objects.select_for_update().filter(pk=1).values_list("seq", "hash")
        found = head.first()
        if found is not None:
            return found
        # the head row is missing (a test emptied the tables): put it back, then lock it
        end = _chain_end()
        ChainHead.objects.bulk_create(
            [ChainHead(pk=1, seq=end[0], hash=end[1])], ignore_conflicts=True
        )
        return head.get()
    return _chain_end()


def _chain_end() -> tuple[int, str]:
    last = ChainEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    return last or (0, GENESIS)


def _insert(end: tuple[int, str], pending, now) -> tuple[int, tuple[int, str]]:
    """INSERT the links after `end` if the chain still ends there; (rows written, new end)."""
    seq, previous = end
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows = []
    for table, row in pending:
        content = instance_content(table.name, row, table.unhashed)
        seq += 1
        previous = link_hash(previous, content)
        rows.append((seq, table.name, str(row.pk), content, previous, stamp))
    quote = connection.ops.quote_name
    entries = quote(ChainEntry._meta.db_table)
    columns = ", ".join(
        quote(c) for c in ("seq", "table", "row_id", "content", "hash", "recorded_at")
    )
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    params = [value for row in rows for value in row]
    if connection.vendor == "postgresql":
        head = quote(ChainHead._meta.db_table)
        sql = (
            f"WITH moved AS (UPDATE {head} SET seq = %s, hash = %s "  # noqa: S608
            "WHERE id = 1 AND seq = %s RETURNING 1) "
            f"INSERT INTO {entries} ({columns}) "
            "SELECT v.column1, v.column2, v.column3, v.column4, v.column5, "
            f"v.column6::timestamptz FROM (VALUES {values}) AS v, moved"
        )
        params = [seq, previous, end[0], *params]
    else:
        sql = (
            f"INSERT INTO {entries} ({columns}) SELECT * FROM (VALUES {values}) AS v "  # noqa: S608
            f"WHERE (SELECT coalesce(max(seq), 0) FROM {entries}) = %s"
        )
        params = [*params, end[0]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = cursor.rowcount
    return written, (seq, previous)


def append(rows) -> None:
    """Append saved rows of chained tables to the chain (others are ignored)."""
    pending = []
    for row in rows:
        table = table_for_model(type(row))
        if table is not None and row.pk is not None:
            pending.append((table, row))
    if not pending:
        return
    now = timezone.now()
    end = getattr(connection, "_anxin_chain_end", None) or (0, GENESIS)
    written, new_end = _insert(end, pending, now)
    if written == 0:  # the chain moved on since this connection last wrote
        with transaction.atomic():
            written, new_end = _insert(lock_chain(), pending, now)
    if written != len(pending):
        connection._anxin_chain_end = None
        raise RuntimeError("the audit chain could not be extended")
    connection._anxin_chain_end = new_end


def _history_created(sender, history_instance, **kwargs):
    append([history_instance])


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # fixtures loaded as they are
        return
    if created or not table_for_model(sender).append_only:
        append([instance])


post_create_historical_record.connect(_history_created, dispatch_uid="audit_chain_history")
for _label in CHAINED_MODELS:
    post_save.connect(_saved, sender=_label, dispatch_uid=f"audit_chain_{_label}")
on_rows_written(append)
