"""A case's change history, field by field, with people, teams and states by name (the
audit browser will grow from here)."""

from casework.cases.models import Case
from casework.organisation.models import User


def case_history_for_user(*, user: User, case: Case, limit: int = 200) -> list[dict]:
    """Field-by-field changes of the case, newest first (staff only; the caller checks with
    case_for_staff). Related rows and choices are shown by name, not by their stored keys."""
    records = list(
        case.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        delta = newer.diff_against(older) if older is not None else None
        entries.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "reason": newer.history_change_reason or "",
                "changes": [
                    {"field": Case._meta.get_field(c.field), "old": c.old, "new": c.new}
                    for c in (delta.changes if delta else [])
                ],
            }
        )
    _name_values([change for entry in entries for change in entry["changes"]])
    return entries


def _name_values(changes: list[dict]) -> None:
    """Replace stored keys by what a reader recognises: one query per related model."""
    wanted: dict[type, set] = {}
    for change in changes:
        field = change["field"]
        if field.is_relation:
            wanted.setdefault(field.related_model, set()).update(
                value for value in (change["old"], change["new"]) if value is not None
            )
    names = {
        model: {pk: str(row) for pk, row in model.objects.in_bulk(list(ids)).items()}
        for model, ids in wanted.items()
    }
    for change in changes:
        field = change["field"]
        for side in ("old", "new"):
            value = change[side]
            if value is None or value == "":
                continue
            if field.is_relation:
                change[side] = names[field.related_model].get(value, f"#{value}")
            elif field.choices:
                change[side] = dict(field.flatchoices).get(value, value)
        change["field"] = field.verbose_name
