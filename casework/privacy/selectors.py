"""Reads of personal data: what the case page shows of the worker (masked unless the role
needs it or the reader just clicked "show"), and who opened the worker's data."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.core.identity import mask_id_number
from casework.core.roles import Role
from casework.organisation.models import User
from casework.privacy.masking import mask_mobile, mask_name
from casework.privacy.models import AccessKind, DataAccess, PersonalField

# Roles that handle the worker's case themselves and so read the worker's name in full; the
# others (a supervisor overseeing, an administrator) see it masked until they click "show".
HANDLING_ROLES = frozenset({Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR})
SESSION_KEY = "anxin_revealed"


@dataclass(frozen=True)
class ShownValue:
    field: str
    label: str
    value: str
    masked: bool  # a "show" button is offered

    @property
    def can_reveal(self) -> bool:
        return self.masked and bool(self.value)


def worker_data_for_staff(*, case: Case, roles: frozenset, revealed: set[str]) -> list[ShownValue]:
    """The worker's name, mobile and ID number as the case page shows them to this reader."""
    name_full = bool(roles & HANDLING_ROLES) or PersonalField.NAME in revealed
    mobile = case.worker.mobile or ""
    shown = [
        ShownValue(
            PersonalField.NAME,
            str(PersonalField.NAME.label),
            case.worker_name if name_full else mask_name(case.worker_name),
            not name_full,
        ),
        ShownValue(
            PersonalField.MOBILE,
            str(PersonalField.MOBILE.label),
            mobile if PersonalField.MOBILE in revealed else mask_mobile(mobile),
            PersonalField.MOBILE not in revealed,
        ),
    ]
    if case.worker_id_number:
        full = PersonalField.ID_NUMBER in revealed
        shown.append(
            ShownValue(
                PersonalField.ID_NUMBER,
                str(PersonalField.ID_NUMBER.label),
                case.worker_id_number if full else mask_id_number(case.worker_id_number),
                not full,
            )
        )
    return shown


def revealed_once(session, case_id: int) -> set[str]:
    """The fields the reader clicked "show" for on this case: shown on the next page only."""
    revealed = session.get(SESSION_KEY) or {}
    fields = revealed.pop(str(case_id), None)
    if fields is not None:
        session[SESSION_KEY] = revealed
    return set(fields or ())


def remember_reveal(session, case_id: int, field: str) -> None:
    revealed = session.get(SESSION_KEY) or {}
    fields = set(revealed.get(str(case_id), ())) | {field}
    revealed[str(case_id)] = sorted(fields)
    session[SESSION_KEY] = revealed


# What the worker is told of: every opening of their data (an audit export names no one).
WORKER_READS = (AccessKind.REVEAL, AccessKind.EVIDENCE, AccessKind.DOCUMENT)


@dataclass(frozen=True)
class Opening:
    who: str  # a team's name, or "the employer's representative"
    what: str
    when: object


def data_openings_for_worker(*, user: User, case: Case, limit: int = 30) -> list[Opening]:
    """Who opened the worker's data on their case, newest first: teams by name, never people
    (the caller has checked that `user` is the case's worker)."""
    if case.worker_id != user.pk:
        return []
    rows = (
        DataAccess.objects.filter(case=case, kind__in=WORKER_READS)
        .exclude(actor_id=user.pk)
        .select_related("team", "actor")
        .order_by("-at", "-id")[:limit]
    )
    return [
        Opening(
            who=_opener(row),
            what=row.get_field_display(),
            when=row.at,
        )
        for row in rows
    ]


def _opener(row: DataAccess) -> str:
    if row.team is not None:
        return getattr(row.team, "localized_name", None) or row.team.name
    if row.actor.is_superuser:
        return _("An administrator of the bureau")
    return _("The employer's representative")
