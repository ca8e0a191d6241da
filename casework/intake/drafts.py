"""The intake's saved steps: what a worker typed survives a dropped connection."""

from django.http import QueryDict

from casework.intake.models import IntakeDraft
from casework.organisation.models import User

# Only the fields of the steps are kept: never the CSRF token or file data.
_SKIP = {"csrfmiddlewaretoken", "back"}


def draft_save_step(*, owner: User, step: int, data: QueryDict, advance: bool = True) -> None:
    """Keep what the worker typed in `step`, so that a dropped connection loses nothing.

    Changes: the owner's IntakeDraft (created if missing). Sends nothing.
    """
    draft, _created = IntakeDraft.objects.get_or_create(owner=owner)
    draft.data[str(step)] = {key: value[:5000] for key, value in data.items() if key not in _SKIP}
    if advance:
        draft.step = max(draft.step, step + 1)
    draft.save(update_fields=["data", "step", "updated_at"])


def draft_for(*, owner: User) -> IntakeDraft:
    """The owner's draft, or a fresh unsaved one at step 1 (reading never writes)."""
    return IntakeDraft.objects.filter(owner=owner).first() or IntakeDraft(owner=owner)


def draft_clear(*, owner: User) -> None:
    IntakeDraft.objects.filter(owner=owner).delete()
