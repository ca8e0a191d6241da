"""The intake's saved steps: what a worker typed survives a dropped connection."""

from django import forms

from casework.intake.models import IntakeDraft
from casework.organisation.models import User


def draft_fields(form: forms.Form) -> dict[str, str]:
    """What of a bound step form may be kept: the form's own fields that passed its checks,
    as the text the worker typed (the draft is bound to the form again later).

    Posted keys the form does not know, files, and values the form refused (control
    characters, a year 1, a text too long) are never stored.
    """
    kept = {}
    for name, field in form.fields.items():
        if name in form.errors or isinstance(field, forms.FileField):
            continue
        value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        if isinstance(value, str | bool):
            kept[name] = value
    return kept


def draft_save_step(*, owner: User, step: int, form: forms.Form, advance: bool = True) -> None:
    """Keep what the worker typed in `step`, so that a dropped connection loses nothing.

    Changes: the owner's IntakeDraft (created if missing). Sends nothing.
    """
    draft, _created = IntakeDraft.objects.get_or_create(owner=owner)
    draft.data[str(step)] = draft_fields(form)
    if advance:
        draft.step = max(draft.step, step + 1)
    draft.save(update_fields=["data", "step", "updated_at"])


def draft_for(*, owner: User) -> IntakeDraft:
    """The owner's draft, or a fresh unsaved one at step 1 (reading never writes)."""
    return IntakeDraft.objects.filter(owner=owner).first() or IntakeDraft(owner=owner)


def draft_clear(*, owner: User) -> None:
    IntakeDraft.objects.filter(owner=owner).delete()
