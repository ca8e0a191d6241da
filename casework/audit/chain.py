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
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from casework.audit.canonical import instance_content
from casework.audit.index_keys import case_sql, index_keys, lookup_sql
from casework.audit.models import GENESIS, ChainEntry, ChainHead
from casework.audit.tables import CHAINED_MODELS, table_for_model
from casework.core.audit_hook import on_batch, on_rows_written


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


def _link(table, row) -> tuple:
    """What a row adds to the chain, read from it as it is now: (table, row id, canonical
    content, index keys). Hashed onto the chain when appended."""
    content = instance_content(table.name, row, table.unhashed)
    return (table.name, str(row.pk), content, *index_keys(row))


def _insert(end: tuple[int, str], links, now) -> tuple[int, tuple[int, str]]:
    """INSERT the links after `end` if the chain still ends there; (rows written, new end).
    The same statement fills the audit browser's index columns (index_keys.py)."""
    seq, previous = end
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows = []
    for table, row_id, content, *keys in links:
        seq += 1
        previous = link_hash(previous, content)
        rows.append((seq, table, row_id, content, previous, stamp, *keys))
    quote = connection.ops.quote_name
    entries = quote(ChainEntry._meta.db_table)
    columns = ", ".join(
        quote(c)
        for c in (
            "seq",
            "table",
            "row_id",
            "content",
            "hash",
            "recorded_at",
            "action",
            "actor_id",
            "case_id",
            "company_id",
            "unit_id",
        )
    )
    values = ", ".join(["(" + ", ".join(["%s"] * 15) + ")"] * len(rows))
    params = [value for row in rows for value in row]
    key = {
        name: f"CAST(v.column{number} AS bigint)"
        for number, name in enumerate(
            (
                "actor",
                "case",
                "company",
                "unit",
                "team",
                "representative",
                "deadline",
                "agreement",
            ),
            start=8,
        )
    }
    if any(row[13] or row[14] for row in rows):  # a pause, extension or signature: its case
        key["case"] = case_sql(
            quote, case=key["case"], deadline=key["deadline"], agreement=key["agreement"]
        )
    company, unit = lookup_sql(
        quote,
        company=key["company"],
        unit=key["unit"],
        case=key["case"],
        team=key["team"],
        representative=key["representative"],
    )
    stamp_sql = "v.column6::timestamptz" if connection.vendor == "postgresql" else "v.column6"
    selected = (
        f"v.column1, v.column2, v.column3, v.column4, v.column5, {stamp_sql}, v.column7, "
        f"{key['actor']}, {key['case']}, {company}, {unit}"
    )
    if connection.vendor == "postgresql":
        head = quote(ChainHead._meta.db_table)
        sql = (
            f"WITH moved AS (UPDATE {head} SET seq = %s, hash = %s "  # noqa: S608
            "WHERE id = 1 AND seq = %s RETURNING 1) "
            f"INSERT INTO {entries} ({columns}) "
            f"SELECT {selected} FROM (VALUES {values}) AS v, moved"
        )
        params = [seq, previous, end[0], *params]
    else:
        sql = (
            f"INSERT INTO {entries} ({columns}) SELECT {selected} "  # noqa: S608
            f"FROM (VALUES {values}) AS v "
            f"WHERE (SELECT coalesce(max(seq), 0) FROM {entries}) = %s"
        )
        params = [*params, end[0]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = cursor.rowcount
    return written, (seq, previous)


def append(rows) -> None:
    """Append saved rows of chained tables to the chain (others are ignored). Inside
    `batched()` they are held and appended with the block's other rows when it ends."""
    links = []
    for row in rows:
        table = table_for_model(type(row))
        if table is not None and row.pk is not None:
            links.append(_link(table, row))
    if not links:
        return
    batch = getattr(connection, "_anxin_chain_batch", None)
    if batch is not None and batch.holds():
        batch.links.extend(links)
        return
    _append_links(links)


def _append_links(links) -> None:
    now = timezone.now()
    end = getattr(connection, "_anxin_chain_end", None) or (0, GENESIS)
    written, new_end = _insert(end, links, now)
    if written == 0:  # the chain moved on since this connection last wrote
        with transaction.atomic():
            written, new_end = _insert(lock_chain(), links, now)
    if written != len(links):
        connection._anxin_chain_end = None
        raise RuntimeError("the audit chain could not be extended")
    connection._anxin_chain_end = new_end


class _Batch:
    """The links a `batched()` block holds back, and the transaction they belong to."""

    def __init__(self):
        self.links: list[tuple] = []
        self.savepoints = len(connection.savepoint_ids)

    def holds(self) -> bool:
        """Only rows of the block's own transaction level are held: a row written in a savepoint
        opened inside the block (which may roll back alone) is appended at once, as before."""
        return connection.in_atomic_block and len(connection.savepoint_ids) == self.savepoints


@contextmanager
def batched():
    """Append the rows written inside the block (by signal or `rows_written`) together when
    it ends: one statement for a filing's case, parties, event, clocks and their history
    instead of one per table. Use it inside the transaction that writes them; an exception
    appends nothing (the transaction rolls back). Nested blocks append with the outermost."""
    if getattr(connection, "_anxin_chain_batch", None) is not None or not (
        connection.in_atomic_block
    ):
        yield
        return
    batch = connection._anxin_chain_batch = _Batch()
    try:
        yield
    finally:
        connection._anxin_chain_batch = None
    if batch.links:
        _append_links(batch.links)


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
on_batch(batched)
