"""How a page runs a service call: 404 for what the user may not see, a refusal shown on the
form's field (or as a message), a success message. Every app's views use it."""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib import messages
from django.http import Http404

from casework.core.errors import ActionRefused, NotFound


class Outcome(NamedTuple):
    ok: bool
    result: Any = None

    def __bool__(self) -> bool:
        return self.ok


def perform(
    request,
    call: Callable[[], object],
    *,
    done: Callable[[object], str] | str | None = None,
    form=None,
) -> Outcome:
    """Run `call`. True (with its result) when it succeeded; a refusal goes to the form field
    it names, or to the page's messages."""
    try:
        result = call()
    except NotFound as exc:
        raise Http404 from exc
    except ActionRefused as refusal:
        if form is not None:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.error(request, refusal.message)
        return Outcome(False)
    if done is not None:
        messages.success(request, done(result) if callable(done) else str(done))
    return Outcome(True, result)
