"""simple-history's manager of a model, built once: reading `Model.history` builds a manager
class each time (its descriptor calls Manager.from_queryset, which inspects the queryset
class's members), about a third of a millisecond on every intake and transition."""

from functools import cache


@cache
def history_manager(model):
    """`model.history` (the class's manager, for bulk_history_create and the history model)."""
    return model.history
