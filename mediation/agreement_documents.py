"""The mediation agreement (调解协议书) as a document kind: its content, readers and summary.

What a court expects on it: the document number and the organisation that issues it (a
mediation team or committee, never a service station), the date it was concluded, each
worker's full name (and ID number, masked in the copy for the employer), the employer's legal
representative; the mediator presides and signs but is not a party. The signed version lists
every signature: who, how (in person or a signed copy) and when.
"""

import re
from collections import defaultdict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.core.access import case_roles
from casework.core.errors import ActionRefused
from casework.core.identity import mask_id_number
from casework.core.roles import STAFF_ROLES as CASE_STAFF_ROLES
from casework.core.roles import Role
from casework.organisation.access import scope_for
from casework.organisation.choices import TeamKind
from casework.organisation.models import Team
from casework.organisation.tiers import covering_team
from mediation.choices import AgreementStatus, ParticipantSide, PaymentMethod, SignatureMethod
from mediation.documents.choices import DocumentStage
from mediation.documents.numbers import number_allocate, number_for
from mediation.documents.registry import DocumentKind, PublicStatus
from mediation.models import Agreement, Instalment
from platforms.models import Representative

# Staff who read a case's documents: its teams' staff, supervisors above it, administrators.
STAFF_ROLES = frozenset({*CASE_STAFF_ROLES, Role.ADMIN})
# printed instead of a name nobody recorded (or of a phone number standing in for one)
NO_NAME = "（未登记姓名）"
_PHONE_LIKE = re.compile(r"^[\d*＊\s+-]{7,}$")
# organisations that may issue an agreement, in order of preference; stations never do
_ISSUING_KINDS = (TeamKind.MEDIATORS, TeamKind.UNIT_OFFICE)
# how each party signed, as the signed version prints it
MANNER = {SignatureMethod.IN_PERSON: "当面签名", SignatureMethod.SCAN: "签字件扫描上传"}


def _cases(agreement: Agreement):
    return [
        line.case for line in agreement.lines.select_related("case__team__unit", "case__worker")
    ]


def _staff_on_every_case(user, cases, roles=STAFF_ROLES) -> bool:
    scope = scope_for(user)
    return bool(cases) and all(case_roles(scope, case) & roles for case in cases)


def _represents_employer(user, agreement: Agreement) -> bool:
    return Representative.objects.filter(user=user, company_id=agreement.employer_id).exists()


def can_download(user, agreement: Agreement) -> bool:
    """The parties (workers, the employer's representatives) and staff on every one of the
    cases (a group agreement names all its workers: staff who see only some of them do not
    get it, as they do not get the group). A void agreement binds nobody: only the bureau
    keeps it."""
    if not getattr(user, "is_authenticated", False):
        return False
    cases = _cases(agreement)
    if _staff_on_every_case(user, cases):
        return True
    if agreement.status == AgreementStatus.VOID:
        return False
    if any(case.worker_id == user.pk for case in cases):
        return True
    return _represents_employer(user, agreement)


def is_third_party(user, agreement: Agreement) -> bool:
    """The employer's side gets the copy with ID numbers masked."""
    cases = _cases(agreement)
    return not (_staff_on_every_case(user, cases) or any(c.worker_id == user.pk for c in cases))


def can_request(user, agreement: Agreement) -> bool:
    return _staff_on_every_case(
        user, _cases(agreement), {Role.MEDIATOR, Role.SUPERVISOR, Role.ADMIN}
    )


def title(agreement: Agreement) -> str:
    first = agreement.lines.select_related("case").first()
    reference = first.case.reference if first else ""
    return f"调解协议书 {reference}".strip()


def printable_name(name: str) -> str:
    """The worker's name as recorded, never a phone number (masked or not) in its place."""
    name = (name or "").strip()
    return NO_NAME if not name or _PHONE_LIKE.match(name) else name


def issuing_team(agreement: Agreement) -> Team:
    """The mediation organisation that issues the agreement: the mediator's mediation team
    for the worker's street, else the one covering it, else a tier-1 unit office. A service
    station never issues one."""
    first = agreement.lines.select_related("case__jurisdiction", "case__team").first()
    if first is None:
        raise ActionRefused(_("An agreement names at least one worker."))
    case = first.case
    for kind in _ISSUING_KINDS:
        mine = (
            Team.objects.filter(memberships__user=agreement.mediator_id, kind=kind)
            .filter(covers=case.jurisdiction)
            .order_by("pk")
            .first()
        )
        if mine is None and case.team.kind == kind:
            mine = case.team
        if found := mine or covering_team(case.jurisdiction, kind):
            return found
    raise ActionRefused(
        _(
            "No mediation team or unit office covers this street, so nobody can issue the "
            "agreement: ask an administrator to set one up."
        )
    )


def prepare(agreement: Agreement) -> None:
    """Give the agreement its number when its first document is asked for (in that
    transaction): the number is printed on the copies the parties sign."""
    number_allocate(subject=agreement, team=issuing_team(agreement))


def _beijing(moment):
    return timezone.localtime(moment) if moment else None


def _signatures(agreement: Agreement, names: dict) -> list[dict]:
    rows = []
    for signature in agreement.signatures.order_by("signed_at", "pk"):
        if signature.side == ParticipantSide.WORKER:
            role = f"申请人{names.get(signature.case_id, '')}"
        else:
            role = {"employer": "被申请人", "mediator": "调解员"}.get(signature.side, "")
        rows.append(
            {
                "role": role,
                "name": signature.signer_name,
                "manner": MANNER[signature.method],
                "at": _beijing(signature.signed_at),
            }
        )
    return rows


def document_context(agreement: Agreement, *, stage: str, third_party: bool) -> dict:
    lines = list(agreement.lines.select_related("case").order_by("pk"))
    parties = [
        {
            "line": line,
            "name": printable_name(line.case.worker_name),
            "id_number": (
                mask_id_number(line.case.worker_id_number)
                if third_party
                else line.case.worker_id_number
            ),
        }
        for line in lines
    ]
    names = {p["line"].case_id: f"（{p['name']}）" if len(lines) > 1 else "" for p in parties}
    by_line = {p["line"].pk: p for p in parties}
    by_date = defaultdict(list)
    for instalment in Instalment.objects.filter(line__agreement=agreement).order_by("line", "pk"):
        by_date[instalment.due_on].append((by_line[instalment.line_id], instalment.amount))
    schedule = [
        {"due_on": due, "items": items, "total": sum(amount for _p, amount in items)}
        for due, items in sorted(by_date.items())
    ]
    number = number_for(agreement)
    signed = stage == DocumentStage.SIGNED and agreement.status == AgreementStatus.BINDING
    return {
        "agreement": agreement,
        "parties": parties,
        "schedule": schedule,
        "total": sum(line.amount for line in lines),
        "employer": agreement.employer,
        "legal_representative": agreement.employer.legal_representative,
        "payment_method": PaymentMethod(agreement.payment_method).label,
        "mediator_name": agreement.mediator.name,
        "document_number": number.text if number else "",
        "issuing_body": number.issuer_name if number else "",
        "drawn_up_on": _beijing(agreement.drawn_up_at),
        "concluded_on": _beijing(agreement.binding_at) if signed else None,
        "signed_version": signed,
        "signatures": _signatures(agreement, names) if signed else [],
        "is_collective": (
            agreement.group_id is not None and len(lines) >= settings.ANXIN_COLLECTIVE_THRESHOLD
        ),
        "has_id_numbers": any(p["id_number"] for p in parties),
    }


def build_context(agreement: Agreement) -> dict:
    return document_context(agreement, stage=stage_for(agreement), third_party=False)


def stage_for(agreement: Agreement) -> str:
    if agreement.status == AgreementStatus.BINDING:
        return DocumentStage.SIGNED
    return DocumentStage.DRAFT


def public_summary(agreement: Agreement) -> dict:
    """What anyone holding the code may read: no names, no amounts, no ID numbers. Keys are
    put into words in the reader's language by the verification page; dates are Beijing's."""
    number = number_for(agreement)
    concluded = _beijing(agreement.binding_at)
    return {
        "kind": "agreement",
        "number": number.text if number else "",
        "issuing_body": number.issuer_name if number else "",
        "drawn_up": f"{_beijing(agreement.drawn_up_at):%Y-%m-%d}",
        "concluded": f"{concluded:%Y-%m-%d}" if concluded else "",
        "workers": agreement.lines.count(),
    }


def public_status(agreement: Agreement, document) -> PublicStatus:
    """Where this copy stands now: a draft, the binding version, void, or replaced."""
    if agreement.status == AgreementStatus.VOID:
        return PublicStatus(
            "danger",
            _("Void: this agreement was withdrawn before every party signed. It binds nobody."),
        )
    if document.superseded_by_id:
        newer = document.superseded_by
        return PublicStatus(
            "warning",
            _("Superseded: a newer version was issued under the code %(code)s.")
            % {"code": newer.code},
            newer_code=newer.code,
        )
    if agreement.status == AgreementStatus.BINDING:
        if document.stage == DocumentStage.SIGNED:
            return PublicStatus("ok", _("Binding: signed by every party."))
        return PublicStatus(
            "warning",
            _("Printed for signing. Every party has since signed; the signed version replaces it."),
        )
    return PublicStatus(
        "warning", _("Draft printed for signing: not binding until every party has signed.")
    )


AGREEMENT = DocumentKind(
    key="agreement",
    label=gettext_lazy("Mediation agreement"),
    template_name="documents/agreement.html",
    # 3: document number, issuer, full names and ID numbers, signatures, Beijing dates
    template_version="agreement-2026.3",
    build_context=build_context,
    can_download=can_download,
    public_summary=public_summary,
    title=title,
    can_request=can_request,
    prepare=prepare,
    stage_for=stage_for,
    document_context=document_context,
    is_third_party=is_third_party,
    public_status=public_status,
)


class ScanNotFound(LookupError):
    """No such signed copy, or the user may not see it: both answer 404."""


def signature_scan_for_user(*, user, signature_id):
    """The uploaded signed copy of a signature, for staff on every case of its agreement."""
    from mediation.models import Signature

    try:
        signature = Signature.objects.select_related("agreement").get(pk=int(signature_id))
    except (Signature.DoesNotExist, TypeError, ValueError, OverflowError):
        raise ScanNotFound from None
    if not signature.scan or not _staff_on_every_case(user, _cases(signature.agreement)):
        raise ScanNotFound
    return signature
