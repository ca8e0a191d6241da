"""The shape every case-page action shares: call one service, answer 404 for a case the user
may not see, show a refusal as a message, say what was done."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404

from casework.core.errors import ActionRefused, CaseNotFound


def perform(
    request, call: Callable[[], object], *, done: Callable[[object], str] | str | None = None
):
    """Run `call`; returns True when it succeeded."""
    try:
        result = call()
    except CaseNotFound as exc:
        raise Http404 from exc
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return False
    if done is not None:
        messages.success(request, done(result) if callable(done) else str(done))
    return True
