"""Running service calls at the same moment, as two people (or two sweeps) would."""

import threading

from django.db import connections


def run_together(calls, *, timeout: float = 60) -> list[tuple[bool, object]]:
    """Run the callables in threads released at the same moment; return (ok, value or the
    exception) for each, in order. Each thread closes its database connections."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = (True, call())
        except Exception as exc:  # reported to the test
            results[i] = (False, exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a concurrent call never returned"
    return results
