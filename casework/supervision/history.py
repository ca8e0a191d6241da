"""A case's change history, field by field, in words in the reader's language: fields by their
names, people, teams and states by name, amounts as money, dates as dates, and why each change
was made ("受理", "调解不成：…"), never the keys the services store (the audit browser will grow
from here)."""

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from casework.cases.lifecycle import TRANSITIONS
from casework.cases.models import Case
from casework.channels.adapters import adapter_label
from casework.core.money import yuan
from casework.organisation.models import User
from casework.routing.models import describe_route
from casework.timeline.choices import EventKind

# What the services store as the reason of a history row (a key, then ": " and what a person
# or the system wrote), and what a reader reads. Rows written before the keys were words in the
# writer's language: those words are keys too.
REASON_WORDS = {
    "filed": EventKind.FILED.label,
    "Filed": EventKind.FILED.label,
    "提交": EventKind.FILED.label,
    "assign": gettext_lazy("Assignee changed"),
    "agreement binding": gettext_lazy("Mediation agreement signed by every party"),
    "binding": gettext_lazy("Mediation agreement signed by every party"),
    "void": gettext_lazy("Mediation agreement voided"),
    "grouped": EventKind.GROUPED.label,
    "collective": EventKind.COLLECTIVE.label,
    EventKind.ESCALATED.value: EventKind.ESCALATED.label,
    EventKind.DEESCALATED.value: EventKind.DEESCALATED.label,
}
# Details the services write as keys after the reason's key.
DETAIL_WORDS = {
    "every party signed": gettext_lazy("every party signed"),
}


def readable_reason(reason: str | None) -> str:
    """ "fail_mediation: 双方分歧较大" -> "调解不成：双方分歧较大" (in the reader's language)."""
    reason = (reason or "").strip()
    if not reason:
        return ""
    key, sep, rest = reason.partition(":")
    key, rest = key.strip(), rest.strip()
    if key in TRANSITIONS:
        label = TRANSITIONS[key].label
    elif key in REASON_WORDS:
        label = REASON_WORDS[key]
    else:
        return reason  # what a person wrote, as they wrote it
    if not (sep and rest):
        return str(label)
    rest = str(DETAIL_WORDS.get(rest, rest))
    return gettext("%(what)s: %(detail)s") % {"what": label, "detail": rest}


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
                "reason": readable_reason(newer.history_change_reason),
                "changes": [
                    {"field": Case._meta.get_field(c.field), "old": c.old, "new": c.new}
                    for c in (delta.changes if delta else [])
                ],
            }
        )
    name_values([change for entry in entries for change in entry["changes"]])
    return entries


def name_values(changes: list[dict]) -> None:
    """Replace stored keys by what a reader recognises: one query per related model."""
    wanted: dict[type, set] = {}
    for change in changes:
        field = change["field"]
        if field.is_relation:
            wanted.setdefault(field.related_model, set()).update(
                value for value in (change["old"], change["new"]) if value not in (None, "")
            )
    names = {
        model: {pk: name_of(row) for pk, row in model.objects.in_bulk(list(ids)).items()}
        for model, ids in wanted.items()
    }
    for change in changes:
        field = change["field"]
        for side in ("old", "new"):
            value = change[side]
            if value is None or value == "":
                change[side] = ""
            elif field.is_relation:
                change[side] = names[field.related_model].get(value, gettext("(removed)"))
            else:
                change[side] = readable_value(field, value)
        change["field"] = field.verbose_name


def name_of(row) -> str:
    return getattr(row, "localized_name", None) or getattr(row, "name", None) or str(row)


# Stored keys with no choices on their field, as they name something configured in settings
# (the adapter that carried a reply upstream): how a reader reads them.
KEY_READERS = {"reply_sent_via": adapter_label}


def readable_value(field: models.Field, value) -> str:
    """A stored value of `field` as a reader reads it."""
    if value and field.name in KEY_READERS:
        return KEY_READERS[field.name](value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if isinstance(field, models.DecimalField) or isinstance(value, Decimal):
        return yuan(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(field, models.JSONField):
        if field.name == "routing":
            return str(describe_route(value) or "")
        return ""  # structured data the system keeps: its readable form is another field
    return str(value)
