"""Reads on a PostgreSQL streaming replica (DATABASE_REPLICA_URL), where a page asks for it.

Only inside an explicit scope: `@replica_reads` on a view (the supervisor dashboards and
statistics, the exports, the audit browser, the API's case list) or `reads_from_replica(user)`
around a selector. Everything else, and every write, goes to the primary ("default").

Inside a scope the reads stay on the primary when:
- the user wrote recently and the replica has not replayed that write yet (read-your-writes):
  `read_your_writes_middleware` notes the primary's WAL position (`pg_current_wal_lsn()`) after
  each non-safe request of a signed-in user, in the cache for ANXIN_REPLICA_MAX_LAG_SECONDS;
  the scope compares it with the replica's `pg_last_wal_replay_lsn()`. Where no position can
  be compared (SQLite, a test mirror) the note alone keeps the user on the primary until it
  expires;
- the replica does not answer, or lags more than ANXIN_REPLICA_MAX_LAG_SECONDS behind (it is
  logged, and asked again after ANXIN_REPLICA_RETRY_SECONDS);
- a transaction is open on the primary (its rows are not on the replica yet): a service that
  a scoped view calls reads what it writes from the primary.
A replica that fails in the middle of a page makes the view run again on the primary: pages
under a scope are safe (GET) requests.
"""

import contextvars
import functools
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.utils.decorators import sync_and_async_middleware

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

log = logging.getLogger("anxin.replica")
# The alias reads go to inside a scope (None: no scope open).
_reads_on: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "anxin_reads_on", default=None
)


def enabled() -> bool:
    return bool(getattr(settings, "ANXIN_REPLICA_READS", False)) and REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads inside a replica scope go where the scope decided; everything else is the
    primary's. Both aliases hold the same rows, so objects of either may be related."""

    def db_for_read(self, model, **hints):
        alias = _reads_on.get()
        if alias is None:
            return DEFAULT_DB_ALIAS
        # A read inside a transaction on the primary belongs to a write (a service called by a
        # scoped view, an audit chain's head): it must see the primary's rows.
        if alias != DEFAULT_DB_ALIAS and connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None


# --- The replica's state, asked at most once per ANXIN_REPLICA_CHECK_SECONDS per process.


@dataclass(frozen=True)
class ReplicaStatus:
    usable: bool
    replay_lsn: int | None  # None: not a streaming replica (SQLite, a test mirror)
    lag_seconds: float | None
    lag_bytes: int | None
    checked_at: float
    reason: str = ""


_status: ReplicaStatus | None = None
_status_lock = threading.Lock()


def lsn_to_int(lsn: str | None) -> int | None:
    """'16/B374D848' -> a byte position that compares in order."""
    if not lsn:
        return None
    high, _slash, low = lsn.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def _ask_replica() -> ReplicaStatus:
    now = time.monotonic()
    bound = settings.ANXIN_REPLICA_MAX_LAG_SECONDS
    replica = connections[REPLICA]
    try:
        if replica.vendor != "postgresql":
            with replica.cursor() as cursor:
                cursor.execute("SELECT 1")
            return ReplicaStatus(True, None, 0.0, 0, now)
        # The primary's position first: a replica that has replayed past it is caught up.
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            primary_lsn = lsn_to_int(cursor.fetchone()[0])
        with replica.cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
                "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
            )
            in_recovery, replay, since_commit = cursor.fetchone()
    except (OperationalError, InterfaceError) as exc:
        replica.close_if_unusable_or_obsolete()
        return ReplicaStatus(False, None, None, None, now, f"unreachable: {exc}".strip())
    if not in_recovery:  # a test mirror of the primary: the same rows
        return ReplicaStatus(True, None, 0.0, 0, now)
    replay_lsn = lsn_to_int(replay)
    lag_bytes = max(0, primary_lsn - replay_lsn) if replay_lsn is not None else None
    if replay_lsn is not None and replay_lsn >= primary_lsn:
        lag = 0.0
    else:  # behind: at most the time since the last commit it replayed
        lag = float(since_commit) if since_commit is not None else float("inf")
    if replay_lsn is None or lag > bound:
        reason = f"lags {lag:.1f} s ({lag_bytes} bytes), more than {bound} s"
        return ReplicaStatus(False, replay_lsn, lag, lag_bytes, now, reason)
    return ReplicaStatus(True, replay_lsn, lag, lag_bytes, now)


def replica_status(*, fresh: bool = False) -> ReplicaStatus:
    """The replica's state, as last asked (again when older than the check interval, or the
    retry interval after it failed). Changes of state are logged."""
    global _status
    with _status_lock:
        status = _status
        if status is not None and not fresh:
            age = time.monotonic() - status.checked_at
            wait = (
                settings.ANXIN_REPLICA_CHECK_SECONDS
                if status.usable
                else settings.ANXIN_REPLICA_RETRY_SECONDS
            )
            if age < wait:
                return status
        new = _ask_replica()
        if not new.usable and (status is None or status.usable or status.reason != new.reason):
            log.warning("Reads stay on the primary: the replica %s", new.reason)
        elif new.usable and status is not None and not status.usable:
            log.warning("Reads go to the replica again (lag %s s)", new.lag_seconds)
        _status = new
        return new


def forget_status() -> None:
    """Ask the replica afresh on the next scope (tests; a process that changed its settings)."""
    global _status
    with _status_lock:
        _status = None


def replica_failed(reason: str) -> None:
    """A query on the replica failed: the primary answers until the retry interval is over."""
    global _status
    with _status_lock:
        _status = ReplicaStatus(False, None, None, None, time.monotonic(), reason)
    log.warning("Reads stay on the primary: the replica failed (%s)", reason)


# --- Read-your-writes: the primary's position after a user's own write.


def _written_key(user_id) -> str:
    return f"anxin:replica:wrote:{user_id}"


def note_write(user) -> None:
    """Record that this user has just written (after commit): their scoped reads stay on the
    primary until the replica has replayed this far. Services writing outside a request on
    someone's behalf may call it too."""
    if not enabled() or user is None or not getattr(user, "is_authenticated", False):
        return
    position = None
    try:
        primary = connections[DEFAULT_DB_ALIAS]
        if primary.vendor == "postgresql":
            with primary.cursor() as cursor:
                cursor.execute("SELECT pg_current_wal_lsn()::text")
                position = lsn_to_int(cursor.fetchone()[0])
        cache.set(
            _written_key(user.pk), position or 0, timeout=settings.ANXIN_REPLICA_MAX_LAG_SECONDS
        )
    except Exception:  # the note is an optimisation: never fail the request for it
        log.exception("Could not note a write for read-your-writes")


def _caught_up_with(user, status: ReplicaStatus) -> bool:
    """Whether the replica shows this user's own latest write (True when they wrote nothing
    recently)."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return True
    try:
        written = cache.get(_written_key(user_id))
    except Exception:  # no cache: we cannot tell, so the primary answers
        log.exception("Could not read the read-your-writes note")
        return False
    if written is None:
        return True
    if not written or status.replay_lsn is None:
        return False  # no position to compare: wait for the note to expire
    if status.replay_lsn >= written:
        return True
    # The cached status may be up to a second old: ask once more before giving up.
    fresh = replica_status(fresh=True)
    return fresh.usable and fresh.replay_lsn is not None and fresh.replay_lsn >= written


def choose_alias(user) -> str:
    """Where this user's reads in a scope go now."""
    if not enabled():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    status = replica_status()
    if not status.usable:
        return DEFAULT_DB_ALIAS
    if not _caught_up_with(user, status):
        return DEFAULT_DB_ALIAS
    return REPLICA


@contextmanager
def reads_from_replica(user, *, alias: str | None = None):
    """Reads inside the block go to the replica when it may answer for this user (else the
    primary); writes always go to the primary. Yields the alias chosen."""
    chosen = alias or choose_alias(user)
    token = _reads_on.set(chosen)
    try:
        yield chosen
    finally:
        _reads_on.reset(token)


def _in_scope(iterator, alias):
    """A streamed body's chunks, each read in the scope its view had."""
    iterator = iter(iterator)
    while True:
        token = _reads_on.set(alias)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _reads_on.reset(token)
        yield chunk


def replica_reads(view):
    """A view whose reads may go to the replica (see the module's docstring). Safe (GET)
    views only: a replica that fails mid-page makes the view run again on the primary."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enabled() or request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        with reads_from_replica(request.user) as alias:
            try:
                response = view(request, *args, **kwargs)
            except (OperationalError, InterfaceError) as exc:
                if alias != REPLICA:
                    raise
                replica_failed(str(exc).strip())
                connections[REPLICA].close_if_unusable_or_obsolete()
                alias = None
        if alias is None:
            with reads_from_replica(request.user, alias=DEFAULT_DB_ALIAS):
                return view(request, *args, **kwargs)
        streamed = getattr(response, "streaming", False) and not response.is_async
        if streamed and alias == REPLICA:
            response.streaming_content = _in_scope(response.streaming_content, alias)
        return response

    return wrapper


@sync_and_async_middleware
def read_your_writes_middleware(get_response):
    """After a signed-in user's non-safe request, note the primary's position (note_write).
    In MIDDLEWARE only when DATABASE_REPLICA_URL is set; safe requests pass straight through,
    without a thread switch under ASGI."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            response = await get_response(request)
            if request.method not in SAFE_METHODS:
                await sync_to_async(note_write)(getattr(request, "user", None))
            return response

    else:

        def middleware(request):
            response = get_response(request)
            if request.method not in SAFE_METHODS:
                note_write(getattr(request, "user", None))
            return response

    return middleware
