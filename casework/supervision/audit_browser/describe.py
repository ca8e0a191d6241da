"""A page of index entries in words: who changed what record, when, why, and each field's old
and new value as a reader reads it (names, not ids; labels, not keys). Personal data in the
changes is masked: the browser is for checking what happened, not for reading a worker's
mobile number (a reveal is logged on the case page instead)."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext, gettext_lazy

from casework.audit.models import ChainEntry
from casework.audit.tables import chained_tables
from casework.cases.models import Case
from casework.core.identity import mask_id_number
from casework.organisation.models import User
from casework.privacy.masking import mask_mobile, mask_name, mask_text
from casework.supervision.history import name_of, readable_reason, readable_value
from mediation.contracts.selectors import readable_contract_reason

ACTION_WORDS = {
    "+": gettext_lazy("Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}
# Columns that hold a person's data, and how the browser shows them.
MASKS = {
    "worker_name": mask_name,
    "mobile": mask_mobile,
    "worker_id_number": mask_id_number,
    "id_number": mask_id_number,
    "description": mask_text,
    "body": mask_text,
    "address": lambda value: mask_text(value)[:2] + "…" if value else "",
}
# Columns declared without a label (Django would show "recorded by", "round table" to a Chinese
# reader): their words here, used only while the field's label is still the column's name.
FIELD_WORDS = {
    "case": gettext_lazy("case"),
    "author": gettext_lazy("author"),
    "uploaded_by": gettext_lazy("uploaded by"),
    "created_by": gettext_lazy("created by"),
    "recorded_by": gettext_lazy("recorded by"),
    "status_by": gettext_lazy("status set by"),
    "status_at": gettext_lazy("status set at"),
    "screening": gettext_lazy("hazard screening"),
    "round_table": gettext_lazy("round table"),
    "due_is_provisional": gettext_lazy("due date is provisional"),
    "token_hash": gettext_lazy("token fingerprint"),
    "secret": gettext_lazy("signing secret"),
    "previous_secret": gettext_lazy("previous signing secret"),
    "previous_secret_until": gettext_lazy("previous secret valid until"),
    "proof_sha256": gettext_lazy("proof fingerprint"),
    "proof_content_type": gettext_lazy("proof file type"),
}
# Related rows whose name is made of other rows (a clock: its case and rule; an agreement: its
# employer), read with them.
NAME_JOINS = {
    "casework.Deadline": ("case", "rule"),
    "mediation.Agreement": ("employer",),
}
HISTORY_COLUMNS = (
    "history_id",
    "id",
    "history_date",
    "history_user_id",
    "history_type",
    "history_change_reason",
)
# What names a record that belongs to no case, in the order tried.
NAMING_COLUMNS = ("name", "reference", "title", "username", "label", "code")


@dataclass
class Described:
    entry: ChainEntry
    when: object = None
    who: str = ""
    action: str = ""
    record_type: str = ""
    record: str = ""
    case_id: int | None = None
    reason: str = ""
    changes: list[dict] = field(default_factory=list)


def _previous(model):
    """The history row just before OuterRef's (same object), as a subquery of its id."""
    earlier = Q(history_date__lt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
    )
    return Subquery(
        model.objects.filter(earlier, id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )


@cache
def _tracked(model) -> tuple:
    """The fields of the tracked model a history row copies (not its key), by attname."""
    names = {f.attname for f in model._meta.concrete_fields}
    return tuple(
        f
        for f in model.instance_type._meta.concrete_fields
        if not f.primary_key and f.attname in names
    )


def _history_rows(model, ids: list[int]) -> dict[int, tuple[dict, dict | None]]:
    """The page's rows of one history table and the version before each, as plain values: one
    query (the rows and their predecessors together), no model instance per row."""
    fields = _tracked(model)
    columns = [*HISTORY_COLUMNS, *(f.attname for f in fields)]
    page = model.objects.filter(history_id__in=ids).annotate(previous_id=_previous(model))
    before = model.objects.filter(history_id__in=page.values("previous_id")).annotate(
        previous_id=_previous(model)
    )
    # UNION ALL, not OR: each half is a primary-key lookup (an OR of the two scans the table).
    # Neither half keeps the history model's ordering: SQLite refuses ORDER BY inside a UNION.
    found = {
        row["history_id"]: row
        for row in page.order_by()
        .values(*columns, "previous_id")
        .union(before.order_by().values(*columns, "previous_id"), all=True)
    }
    return {pk: (found[pk], found.get(found[pk]["previous_id"])) for pk in ids if pk in found}


def _changes(model, newer: dict, older: dict | None) -> list[dict]:
    if newer["history_type"] == "-":
        return []
    pairs = []
    for model_field in _tracked(model):
        new = newer[model_field.attname]
        if older is None:
            if new not in (None, "", [], {}):
                pairs.append((model_field, None, new))
        elif older[model_field.attname] != new:
            pairs.append((model_field, older[model_field.attname], new))
    changes = []
    for model_field, old, new in pairs:
        mask = MASKS.get(model_field.name)
        if mask is not None:
            old, new = (mask(str(v)) if v else v for v in (old, new))
        changes.append({"field": model_field, "old": old, "new": new})
    return changes


def _record_name(row: dict) -> str:
    for column in NAMING_COLUMNS:
        value = row.get(column)
        if isinstance(value, str) and value:
            return mask_name(value) if column == "name" and "mobile" in row else value
    return f"#{row['id']}"


def _named(model, ids: set) -> dict:
    """Names of the rows `ids` of `model`, as a reader recognises them: one query."""
    if model is Case:  # a case is known by its reference
        return dict(Case.objects.filter(pk__in=ids).values_list("pk", "reference"))
    rows = model.objects.all()
    joins = NAME_JOINS.get(model._meta.label)
    if joins:  # their names are made of related rows
        rows = rows.select_related(*joins)
    return {pk: name_of(row) for pk, row in rows.in_bulk(list(ids)).items()}


def _name_everything(described: list[Described], actors: dict, cases: set) -> None:
    """People, cases and every related row a change names: one query per model, for the
    whole page (the actors and the cases' references with the rest)."""
    wanted: dict[type, set] = defaultdict(set)
    wanted[User].update(actors.values())
    wanted[Case].update(cases)
    changes = [change for item in described for change in item.changes]
    for change in changes:
        model_field = change["field"]
        if model_field.is_relation:
            wanted[model_field.related_model].update(
                value for value in (change["old"], change["new"]) if value not in (None, "")
            )
    names = {model: _named(model, ids) for model, ids in wanted.items() if ids}
    removed = gettext("(removed)")
    for item in described:
        actor = actors.get(item.entry.seq)
        item.who = names[User].get(actor, removed) if actor else gettext("the system")
        if item.case_id in names.get(Case, {}):
            item.record = names[Case][item.case_id]
    for change in changes:
        model_field = change["field"]
        for side in ("old", "new"):
            value = change[side]
            if value is None or value == "":
                change[side] = ""
            elif model_field.is_relation:
                change[side] = names[model_field.related_model].get(value, removed)
            else:
                change[side] = readable_value(model_field, value)
        words = FIELD_WORDS.get(model_field.name)
        unlabelled = str(model_field.verbose_name) == model_field.name.replace("_", " ")
        change["field"] = words if words is not None and unlabelled else model_field.verbose_name


def describe_entries(entries: list[ChainEntry]) -> list[Described]:
    """One query per record type on the page (its rows and the versions before them), then
    one per model named (people, cases and related rows together)."""
    tables = chained_tables()
    by_table: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        by_table[entry.table].append(int(entry.row_id))
    rows: dict[tuple[str, int], tuple] = {}
    for table, ids in by_table.items():
        model = tables[table].model
        for pk, (row, older) in _history_rows(model, ids).items():
            rows[table, pk] = (model, row, older)
    described, actors = [], {}
    for entry in entries:
        item = Described(entry=entry, when=entry.recorded_at, case_id=entry.case_id)
        item.action = ACTION_WORDS.get(entry.action, entry.action)
        found = rows.get((entry.table, int(entry.row_id)))
        if found is None:  # archived with its proofs by a maintenance role
            item.record = gettext("(archived)")
            described.append(item)
            continue
        model, row, older = found
        item.when = row["history_date"]
        if row["history_user_id"]:
            actors[entry.seq] = row["history_user_id"]
        item.record_type = str(model.instance_type._meta.verbose_name)
        item.record = _record_name(row)
        # a case's reasons first; a collective contract's steps ("start_consulting") after
        item.reason = readable_contract_reason(readable_reason(row["history_change_reason"]))
        item.changes = _changes(model, row, older)
        described.append(item)
    _name_everything(described, actors, {e.case_id for e in entries if e.case_id})
    return described
