"""The hook through which the worker's rating (好差评) reaches replies to upstream sources.

The ratings concern registers a reader here: `SATISFACTION_READERS.append(reader)`, where
`reader(case) -> str | None` answers the worker's verdict in words (say "满意"), or None when
the case has no rating. Upstream replies (casework/channels/replies.py) call
`satisfaction_words`; without a reader, or without a rating, the reply says none was given.
It lives in core so that the ratings may sit anywhere above it."""

from collections.abc import Callable

SATISFACTION_READERS: list[Callable] = []


def satisfaction_words(case) -> str | None:
    for reader in SATISFACTION_READERS:
        words = reader(case)
        if words:
            return words
    return None
