"""The one door to the chain: `append` hashes rows onto it inside the writer's transaction.

The chain head row is locked (`select_for_update`) until the writer commits, so links are
numbered in commit order and two writers never take the same number. On SQLite the whole
database is locked by a writer anyway.
"""

import hashlib

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from casework.audit.canonical import instance_content
from casework.audit.models import ChainEntry, ChainHead
from casework.audit.tables import CHAINED_MODELS, table_for_model
from casework.core.audit_hook import on_rows_written


def link_hash(previous: str, content: str) -> str:
    """SHA-256 over the previous link's hash (32 bytes) and the canonical content (UTF-8)."""
    return hashlib.sha256(bytes.fromhex(previous) + content.encode()).hexdigest()


def append(rows) -> None:
    """Append saved rows of chained tables to the chain (others are ignored)."""
    pending = []
    for row in rows:
        table = table_for_model(type(row))
        if table is not None and row.pk is not None:
            pending.append((table, row))
    if not pending:
        return
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead.objects.create(pk=1)
            head = ChainHead.objects.select_for_update().get(pk=1)
        now = timezone.now()
        seq, previous = head.seq, head.hash
        entries = []
        for table, row in pending:
            content = instance_content(table.name, row, table.unhashed)
            seq += 1
            previous = link_hash(previous, content)
            entries.append(
                ChainEntry(
                    seq=seq,
                    table=table.name,
                    row_id=str(row.pk),
                    content=content,
                    hash=previous,
                    recorded_at=now,
                )
            )
        ChainEntry.objects.bulk_create(entries)
        ChainHead.objects.filter(pk=1).update(seq=seq, hash=previous)


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
