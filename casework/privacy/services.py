"""Every write of the access log: a reveal, an evidence download, an audit export. Each call
writes exactly one row, in the caller's transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.models import Case, Evidence
from casework.core.access import case_roles, visible_cases_q
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.roles import Role
from casework.organisation.access import scope_for
from casework.organisation.models import Membership, User
from casework.privacy.models import AccessKind, DataAccess, PersonalField

REVEALABLE = (PersonalField.NAME, PersonalField.MOBILE, PersonalField.ID_NUMBER)
PAGE_LENGTH = 300


def clean_page(page: str | None) -> str:
    """The page a request came from: a path of this site, without control characters."""
    page = (page or "").split("?")[0]
    if not page.startswith("/") or page.startswith("//"):
        return ""
    return "".join(c for c in page if c.isprintable())[:PAGE_LENGTH]


def team_acting_on(*, actor: User, case: Case):
    """The team the actor works on this case for: the case's own team if they are in it, else
    a team covering its street, else the team through which they supervise it."""
    memberships = list(
        Membership.objects.filter(user=actor)
        .select_related("team")
        .prefetch_related("team__covers")
    )
    for membership in memberships:
        if membership.team_id == case.team_id:
            return membership.team
    for membership in memberships:
        if any(unit.pk == case.jurisdiction_id for unit in membership.team.covers.all()):
            return membership.team
    chosen = [m for m in memberships if m.role == Role.SUPERVISOR] or memberships
    return chosen[0].team if chosen else None


def _staff_case(*, actor: User, case_id) -> Case:
    scope = scope_for(actor)
    try:
        case = Case.objects.filter(visible_cases_q(scope)).select_related("worker", "team")
        case = case.get(pk=int(case_id))
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc
    if not case_roles(scope, case) - {Role.WORKER}:
        raise CaseNotFound  # the worker reads their own data; no one else outside staff
    return case


def personal_data_reveal(*, actor: User, case_id, field: str, page: str = "") -> str:
    """Show one of the worker's fields in full to staff working on the case, and log it: one
    access row (who, whose, which field, when, from which page). Returns the value."""
    if field not in REVEALABLE:
        raise ActionRefused(_("This information cannot be shown."))
    with transaction.atomic():
        case = _staff_case(actor=actor, case_id=case_id)
        value = {
            PersonalField.NAME: case.worker_name,
            PersonalField.MOBILE: case.worker.mobile or "",
            PersonalField.ID_NUMBER: case.worker_id_number,
        }[PersonalField(field)]
        if not value:
            raise ActionRefused(_("There is nothing recorded to show."))
        _log(actor=actor, case=case, kind=AccessKind.REVEAL, field=field, page=page)
    return value


def evidence_download_record(*, actor: User, evidence: Evidence, page: str = "") -> DataAccess:
    """Log that `actor` opened an evidence file (its selector has already checked access)."""
    return _log(
        actor=actor,
        case=evidence.case,
        kind=AccessKind.EVIDENCE,
        field=PersonalField.EVIDENCE,
        page=page,
        evidence_id=evidence.pk,
        detail=evidence.original_name[:500],
    )


def payment_proof_download_record(*, actor: User, payment, page: str = "") -> DataAccess:
    """Log that `actor` opened a payment's proof (a transfer slip names the worker and their
    account; its selector has already checked access)."""
    return _log(
        actor=actor,
        case=payment.case,
        kind=AccessKind.EVIDENCE,
        field=PersonalField.EVIDENCE,
        page=page,
        detail=f"payment {payment.pk} proof",
    )


def agreement_file_download_record(
    *, actor: User, agreement, signature=None, page: str = ""
) -> list[DataAccess]:
    """Log that `actor` opened a file of a mediation agreement (its signed PDF, or with
    `signature` the signed copy a party uploaded; the selector has already checked access).
    One row per worker whose data the file holds: a worker's signed copy is theirs alone, the
    agreement and the other parties' copies name every worker of it. None for a worker's own."""
    if signature is not None and signature.case_id:
        cases = [signature.case]
    elif agreement.case_id:
        cases = [agreement.case]
    else:  # a collective agreement
        cases = [line.case for line in agreement.lines.select_related("case")]
    field = PersonalField.SIGNED_COPY if signature is not None else PersonalField.AGREEMENT
    detail = f"signature {signature.pk}" if signature is not None else f"agreement {agreement.pk}"
    return [
        _log(
            actor=actor, case=case, kind=AccessKind.DOCUMENT, field=field, page=page, detail=detail
        )
        for case in cases
        if case.worker_id != actor.pk
    ]


def audit_export_record(*, actor: User, filters: str, unit_id: int | None = None) -> DataAccess:
    """Log an export of the audit log: who, with which filter, when."""
    return DataAccess.objects.create(
        at=timezone.now(),
        actor=actor,
        kind=AccessKind.AUDIT_EXPORT,
        field=PersonalField.AUDIT_LOG,
        unit_id=unit_id,
        detail="".join(c for c in filters if c.isprintable())[:500],
    )


def _log(*, actor, case, kind, field, page, evidence_id=None, detail="") -> DataAccess:
    return DataAccess.objects.create(
        at=timezone.now(),
        actor=actor,
        team=team_acting_on(actor=actor, case=case) if not actor.is_worker else None,
        kind=kind,
        field=field,
        case=case,
        subject_id=case.worker_id,
        evidence_id=evidence_id,
        unit_id=case.jurisdiction_id,
        page=clean_page(page),
        detail=detail,
    )
