"""The mediation agreement (调解协议书) as a document kind: its content, readers and summary."""

from collections import defaultdict

from casework.core.access import case_roles
from casework.core.roles import STAFF_ROLES as CASE_STAFF_ROLES
from casework.core.roles import Role
from casework.organisation.access import scope_for
from mediation.choices import AgreementStatus, PaymentMethod
from mediation.documents.registry import DocumentKind
from mediation.models import Agreement, Instalment
from platforms.models import Representative

# Staff who read a case's documents: its teams' staff, supervisors above it, administrators.
STAFF_ROLES = frozenset({*CASE_STAFF_ROLES, Role.ADMIN})


def _cases(agreement: Agreement):
    return [
        line.case for line in agreement.lines.select_related("case__team__unit", "case__worker")
    ]


def can_download(user, agreement: Agreement) -> bool:
    """The parties (workers, the employer's representatives) and staff on every one of the
    cases (a group agreement names all its workers: staff who see only some of them do not
    get it, as they do not get the group)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cases = _cases(agreement)
    if any(case.worker_id == user.pk for case in cases):
        return True
    if _staff_on_every_case(user, cases):
        return True
    return Representative.objects.filter(user=user, company_id=agreement.employer_id).exists()


def _staff_on_every_case(user, cases, roles=STAFF_ROLES) -> bool:
    scope = scope_for(user)
    return bool(cases) and all(case_roles(scope, case) & roles for case in cases)


def can_request(user, agreement: Agreement) -> bool:
    return _staff_on_every_case(
        user, _cases(agreement), {Role.MEDIATOR, Role.SUPERVISOR, Role.ADMIN}
    )


def title(agreement: Agreement) -> str:
    first = agreement.lines.select_related("case").first()
    reference = first.case.reference if first else ""
    return f"调解协议书 {reference}".strip()


def issuing_body(agreement: Agreement) -> str:
    first = agreement.lines.select_related("case__team__unit").first()
    return f"{first.case.team.unit.name}{first.case.team.name}" if first else ""


def build_context(agreement: Agreement) -> dict:
    lines = list(agreement.lines.select_related("case__worker").order_by("pk"))
    instalments = Instalment.objects.filter(line__agreement=agreement).select_related(
        "line__case__worker"
    )
    by_date = defaultdict(list)
    for instalment in instalments:
        by_date[instalment.due_on].append(instalment)
    schedule = [
        {"due_on": due, "items": items, "total": sum(i.amount for i in items)}
        for due, items in sorted(by_date.items())
    ]
    return {
        "agreement": agreement,
        "lines": lines,
        "schedule": schedule,
        "total": sum(line.amount for line in lines),
        "employer": agreement.employer,
        "payment_method": PaymentMethod(agreement.payment_method).label,
        "mediator_name": agreement.mediator.name,
        "issuing_body": issuing_body(agreement),
        "is_collective": agreement.group_id is not None,
    }


def public_summary(agreement: Agreement) -> dict:
    """What anyone holding the code may read: no names, no amounts, no ID numbers."""
    return {
        "kind": "调解协议书 / Mediation agreement",
        "issuing_body": issuing_body(agreement),
        # keys are shown as they are on the public page, whatever the reader's language
        "起草日期 Drawn up": f"{agreement.drawn_up_at:%Y-%m-%d}",
        "劳动者人数 Workers": agreement.lines.count(),
        "打印时状态 Status when printed": str(AgreementStatus(agreement.status).label),
    }


AGREEMENT = DocumentKind(
    key="agreement",
    label="调解协议书",
    template_name="documents/agreement.html",
    template_version="agreement-2026.2",  # 2: set in the packaged Noto fonts
    build_context=build_context,
    can_download=can_download,
    public_summary=public_summary,
    title=title,
    can_request=can_request,
)
