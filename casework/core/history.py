"""simple-history as intake and transitions use it: a model's manager built once (reading
`Model.history` builds a manager class each time: its descriptor calls Manager.from_queryset,
which inspects the queryset class's members, about a third of a millisecond on every intake and
transition), and a save whose history row is written without the signal."""

from functools import cache


@cache
def history_manager(model):
    """`model.history` (the class's manager, for bulk_history_create and the history model)."""
    return model.history


def save_with_history(instance, *, update_fields: list[str] | None = None) -> list:
    """Save `instance` and write its history row as simple-history's post_save would (who and
    why: `_history_user`, `_change_reason`; "+" for a new row, "~" for `update_fields`), but
    without the signal, so that the caller hands the row to the audit chain together with the
    other rows of its transaction, in one append. Returns [the history row]."""
    instance.skip_history_when_saving = True
    try:
        instance.save(update_fields=update_fields)  # ConcurrentTransition if the state moved
    finally:
        del instance.skip_history_when_saving
    manager = history_manager(type(instance))
    return list(manager.bulk_history_create([instance], update=update_fields is not None))
