"""Values kept in this process between requests: the one kind of store for all of them (the
signed-in user and their scope, kept SQL, the queue's filter options and panel).

A Memo holds at most `size` values and forgets them all when full (what it keeps is cheap to
read again; an LRU's bookkeeping would cost more than the rare refill). A value may carry a
stamp, the token of what it was read from, and is then answered only for that stamp; with
`max_age` it is answered for that many seconds at most. Every Memo is forgotten by
`forget_all` (the tests do, between tests: a rolled-back test's ids come back on SQLite).
"""

import threading
import time
import weakref

MISSING = object()
_every: "weakref.WeakSet[Memo]" = weakref.WeakSet()


class Memo:
    def __init__(self, *, size: int, max_age: float | None = None) -> None:
        self.size = size
        self.max_age = max_age
        self._items: dict = {}
        self._lock = threading.Lock()
        _every.add(self)

    def get(self, key, stamp=None):
        """The value kept under `key` for `stamp`, or MISSING."""
        item = self._items.get(key)
        if item is None or item[0] != stamp:
            return MISSING
        if self.max_age is not None and time.monotonic() - item[2] > self.max_age:
            return MISSING
        return item[1]

    def put(self, key, stamp, value) -> None:
        with self._lock:
            if len(self._items) >= self.size:
                self._items.clear()
            self._items[key] = (stamp, value, time.monotonic())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def forget_all() -> None:
    for memo in list(_every):
        memo.clear()
