"""A page of index entries in words: who changed what record, when, why, and each field's old
and new value as a reader reads it (names, not ids; labels, not keys). Personal data in the
changes is masked: the browser is for checking what happened, not for reading a worker's
mobile number (a reveal is logged on the case page instead)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext, gettext_lazy

from casework.audit.models import ChainEntry
from casework.audit.tables import chained_tables
from casework.cases.models import Case
from casework.core.identity import mask_id_number
from casework.privacy.masking import mask_mobile, mask_name, mask_text
from casework.supervision.history import name_values, readable_reason
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


def _changes(model, newer, older) -> list[dict]:
    instance_meta = model.instance_type._meta
    if newer.history_type == "-":
        return []
    if older is None:
        tracked = [
            f
            for f in instance_meta.concrete_fields
            if not f.primary_key and hasattr(newer, f.attname)
        ]
        pairs = [(f, None, getattr(newer, f.attname)) for f in tracked]
        pairs = [(f, old, new) for f, old, new in pairs if new not in (None, "", [], {})]
    else:
        delta = newer.diff_against(older)
        pairs = [(instance_meta.get_field(c.field), c.old, c.new) for c in delta.changes]
    changes = []
    for model_field, old, new in pairs:
        mask = MASKS.get(model_field.name)
        if mask is not None:
            old, new = (mask(str(v)) if v else v for v in (old, new))
        changes.append({"field": model_field, "old": old, "new": new})
    return changes


def _label_unlabelled(changes: list[dict]) -> None:
    """After name_values put each field's label in "field": words for the unlabelled ones."""
    for change, model_field in changes:
        words = FIELD_WORDS.get(model_field.name)
        unlabelled = str(model_field.verbose_name) == model_field.name.replace("_", " ")
        if words is not None and unlabelled:
            change["field"] = words


def _record_name(row) -> str:
    for column in NAMING_COLUMNS:
        value = getattr(row, column, None)
        if isinstance(value, str) and value:
            return mask_name(value) if column == "name" and hasattr(row, "mobile") else value
    return f"#{row.id}"


def describe_entries(entries: list[ChainEntry]) -> list[Described]:
    """Two queries per record type on the page (its rows with the previous version's id, and
    the previous versions), one for the cases' references, one per related model named."""
    tables = chained_tables()
    by_table: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        by_table[entry.table].append(int(entry.row_id))
    rows: dict[tuple[str, int], tuple] = {}
    for table, ids in by_table.items():
        model = tables[table].model
        found = list(
            model.objects.filter(history_id__in=ids)
            .annotate(previous_id=_previous(model))
            .select_related("history_user")
        )
        wanted = [row.previous_id for row in found if row.previous_id]
        previous = model.objects.in_bulk(wanted) if wanted else {}
        for row in found:
            rows[table, row.history_id] = (model, row, previous.get(row.previous_id))
    references = dict(
        Case.objects.filter(pk__in={e.case_id for e in entries if e.case_id}).values_list(
            "pk", "reference"
        )
    )
    described = []
    for entry in entries:
        item = Described(entry=entry, when=entry.recorded_at, case_id=entry.case_id)
        item.action = ACTION_WORDS.get(entry.action, entry.action)
        found = rows.get((entry.table, int(entry.row_id)))
        if found is None:  # archived with its proofs by a maintenance role
            item.record = gettext("(archived)")
            described.append(item)
            continue
        model, row, older = found
        item.when = row.history_date
        item.who = row.history_user.name if row.history_user else gettext("the system")
        item.record_type = str(model.instance_type._meta.verbose_name)
        item.record = references.get(entry.case_id) or _record_name(row)
        # a case's reasons first; a collective contract's steps ("start_consulting") after
        item.reason = readable_contract_reason(readable_reason(row.history_change_reason))
        item.changes = _changes(model, row, older)
        described.append(item)
    changes = [change for item in described for change in item.changes]
    fields = [change["field"] for change in changes]
    name_values(changes)
    _label_unlabelled(list(zip(changes, fields, strict=True)))
    return described
