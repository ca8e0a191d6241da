"""The one door for everything that leaves the process: SMS, channel-layer pushes, tasks (and,
later, webhooks).

Side effects run only after the surrounding transaction commits, so a rolled-back write never
sends anything, and a failing gateway never undoes a write: in production the failure is
logged. In tests (`ANXIN_OUTBOUND_RAISE`) it is raised instead, so a broken payload fails the
test that caused it. `capture_outbound()` lets a test assert what was sent, in the manner of
Zulip's `capture_send_event_calls`. Grep for `send_on_commit` to find every side effect; a test
keeps `transaction.on_commit` out of every other module.
"""

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outbound:
    """One side effect that left: what kind, in words, and what it carried."""

    kind: str  # "sms", "push", "task", ...
    description: str
    payload: Any = None


_captures: list[list[Outbound]] = []


@contextlib.contextmanager
def capture_outbound() -> Iterator[list[Outbound]]:
    """Collect every side effect that runs inside the block (tests)."""
    sent: list[Outbound] = []
    _captures.append(sent)
    try:
        yield sent
    finally:
        _captures.remove(sent)


def _run(action: Callable[[], object], record: Outbound) -> None:
    try:
        action()
    except Exception:
        if settings.ANXIN_OUTBOUND_RAISE:
            raise
        logger.exception("Outbound side effect failed: %s", record.description)
    for sent in _captures:
        sent.append(record)


def send_on_commit(
    action: Callable[[], object],
    *,
    kind: str,
    description: str,
    payload: Any = None,
    using: str | None = None,
) -> None:
    """Run `action` once the current transaction commits (at once in autocommit)."""
    record = Outbound(kind=kind, description=description, payload=payload)
    transaction.on_commit(lambda: _run(action, record), using=using)


class Batch:
    """What one transaction sends together: subclass, collect in `add`-like methods, send in
    `flush`, and say what was sent in `payload` (for `capture_outbound`)."""

    kind = "batch"
    description = "batched side effects"

    def flush(self) -> object:
        raise NotImplementedError

    def payload(self) -> Any:
        return None


def _flush(batch: Batch) -> None:
    payload = batch.payload()
    _run(batch.flush, Outbound(kind=batch.kind, description=batch.description, payload=payload))


def add_to_batch(
    key: str, factory: Callable[[], Batch], fill: Callable[[Batch], None], *, using=None
) -> None:
    """Put something in the current transaction's batch `key`, sent once after it commits
    (at once in autocommit). Many small sends of one transaction (the sweep warns hundreds of
    people) leave together."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        batch = factory()
        fill(batch)
        _flush(batch)
        return
    batches = connection.__dict__.setdefault("_anxin_outbound_batches", {})
    batch = batches.get(key)
    # A batch whose transaction rolled back was discarded with its callback: start anew.
    # Django offers no public way to ask whether a callback still waits for the commit; this
    # is the only place that looks.
    if batch is None or not any(func is batch._flush for _s, func, _r in connection.run_on_commit):
        batch = factory()

        def flush(batch=batch):
            if batches.get(key) is batch:
                del batches[key]
            _flush(batch)

        batch._flush = flush
        batches[key] = batch
        transaction.on_commit(flush, using=using)
    fill(batch)
