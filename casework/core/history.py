"""simple-history as intake and transitions use it: a model's manager built once (reading
`Model.history` builds a manager class each time: its descriptor calls Manager.from_queryset,
which inspects the queryset class's members, about a third of a millisecond on every intake and
transition), a save whose history row is written without the signal, and history rows inserted
by a statement kept per process (casework.core.kept_inserts)."""

from functools import cache

from django.conf import settings
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

from casework.core.kept_inserts import insert_rows


@cache
def history_manager(model):
    """`model.history` (the class's manager, for bulk_history_create and the history model)."""
    return model.history


def history_rows(instances, *, update: bool = False, default_user=None) -> list:
    """The unsaved history rows simple-history's `bulk_history_create` writes for saved
    `instances` (of one model): "~" with `update`, "+" otherwise; who and why from each
    instance's `_history_user` (else `default_user`) and `_change_reason`."""
    if not instances or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return []
    model = history_manager(type(instances[0])).model
    tracked = [field.attname for field in model.tracked_fields]
    relation = hasattr(model, "history_relation")
    rows = []
    for instance in instances:
        row = model(
            history_date=getattr(instance, "_history_date", timezone.now()),
            history_user=getattr(
                instance,
                "_history_user",
                default_user or model.get_default_history_user(instance),
            ),
            history_change_reason=get_change_reason_from_object(instance) or "",
            history_type="~" if update else "+",
            **{name: getattr(instance, name) for name in tracked},
        )
        if relation:
            row.history_relation_id = instance.pk
        rows.append(row)
    return rows


def history_create(instances, *, update: bool = False, default_user=None) -> list:
    """`bulk_history_create` in one kept statement: the rows of `history_rows`, saved."""
    return insert_rows(history_rows(instances, update=update, default_user=default_user))


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
    return history_create([instance], update=update_fields is not None)
