"""The one door for side effects that leave the process (SMS, channel layer, tasks).

They run only after the surrounding transaction commits, so a rolled-back write never sends
anything, and a failing gateway never undoes a write: the failure is logged instead.
Grep for `send_on_commit` to find every side effect.
"""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)


def send_on_commit(action: Callable[[], object], *, description: str, using: str | None = None):
    def run():
        try:
            action()
        except Exception:
            logger.exception("Outbound side effect failed: %s", description)

    transaction.on_commit(run, using=using)
    return run  # what was registered: lets a caller see whether it is still pending
