"""Which tables the chain covers: data, not imports, so the chain sees every app's models.

- Every django-simple-history `Historical*` model of every app, found in the app registry:
  a model that gains `history = HistoricalRecords()` joins after its migration, with nothing
  to change here. History rows are append-only.
- The models below, by label. `append_only`: every entry must still match its row and a
  missing row is a deletion; otherwise (a document is re-rendered) only the row's latest entry
  is compared. `unhashed`: columns that change legitimately without a new entry (a document's
  rendering status, written with `QuerySet.update()` by its task).
"""

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import models
from simple_history.models import HistoricalChanges


@dataclass(frozen=True)
class ChainedTable:
    model: type[models.Model]
    append_only: bool = True
    unhashed: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        return self.model._meta.db_table


CHAINED_MODELS = {
    "casework.CaseEvent": {"append_only": True},
    "mediation.Document": {
        "append_only": False,
        "unhashed": frozenset({"status", "error", "attempts", "superseded_by"}),
    },
}

# Refused UPDATE and DELETE on PostgreSQL besides the chained tables (protection.py).
PROTECTED_MODELS = (
    "arrears.Payment",
    "casework.ChainEntry",
    "casework.DailyDigest",
    # The personal-data access log (casework/privacy): who opened whose data.
    "casework.DataAccess",
)
# Of these, rows whose money stays fixed while a status moves: an UPDATE is refused only when
# it touches one of these columns (a payment's confirmation by the worker changes its status,
# recorded in its history, which is chained; its amount, date and origin never change).
FIXED_COLUMNS = {
    "arrears.Payment": (
        "case_id",
        "amount",
        "paid_on",
        "method",
        "source",
        "instalment_id",
        "proof",
        "proof_sha256",
        "reverses_id",
        "recorded_by_id",
        "recorded_at",
        "note",
    ),
}


def is_history_model(model) -> bool:
    return issubclass(model, HistoricalChanges) and not model._meta.abstract


@cache
def chained_tables() -> dict[str, ChainedTable]:
    """Every chained table by its database name."""
    found: dict[str, ChainedTable] = {}
    for model in apps.get_models():
        if is_history_model(model):
            found[model._meta.db_table] = ChainedTable(model)
    for label, options in CHAINED_MODELS.items():
        try:
            model = apps.get_model(label)
        except LookupError:  # an app not installed here
            continue
        found[model._meta.db_table] = ChainedTable(model, **options)
    return found


def table_for_model(model) -> ChainedTable | None:
    return chained_tables().get(model._meta.db_table)


def history_models() -> list:
    return [t.model for t in chained_tables().values() if is_history_model(t.model)]


def protected_tables() -> list[str]:
    names = [t.name for t in chained_tables().values() if t.append_only]
    for label in PROTECTED_MODELS:
        try:
            names.append(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return sorted(set(names))


def fixed_columns() -> dict[str, tuple[str, ...]]:
    """Tables whose rows may change only outside these columns, by database name."""
    found = {}
    for label, columns in FIXED_COLUMNS.items():
        try:
            found[apps.get_model(label)._meta.db_table] = columns
        except LookupError:
            continue
    return found
