"""A platform or company answers a complaint the bureau put to it: accept with an amount and a
payment date, dispute with reasons, or propose a payment plan; add evidence; ask the
coordinator a question. Through the portal (platforms.portal) and the API (platforms.api)
alike: each function locks the case through the representative's scope, so another
company's case answers CaseNotFound (a 404) before anything is read. Staff record an answer
the employer gave them by other means with `response_record_for_employer`."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.choices import CaseState
from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case, Evidence
from casework.cases.services.evidence import check_evidence_room, store_evidence
from casework.cases.services.transitions import case_record_response
from casework.clocks.models import Deadline
from casework.core.bounds import parse_id
from casework.core.errors import ActionRefused, CaseChanged
from casework.core.uploads import CheckedFile
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.models import User
from casework.timeline.events import (
    employer_question_event,
    employer_responded_event,
    evidence_added_event,
)
from platforms.chain import answering_company
from platforms.choices import ResponseChannel, ResponseKind
from platforms.models import Company, EmployerQuestion, EmployerResponse, PlanInstalment
from platforms.responses.access import lock_for_representative
from platforms.responses.answers import Answer, clean_answer, clean_text
from platforms.responses.audiences import case_handlers

RESPONSE_RULE = "PLATFORM_RESPONSE"


def _already_answered(case: Case) -> ActionRefused:
    last = (
        EmployerResponse.objects.filter(case=case)
        .select_related("responded_by")
        .order_by("-responded_at", "-pk")
        .first()
    )
    if case.state == CaseState.VERIFYING and last is not None:
        when = timezone.localtime(last.responded_at)
        return CaseChanged(
            _("This complaint was already answered by %(name)s on %(when)s.")
            % {"name": last.responded_by.name, "when": f"{when:%Y-%m-%d %H:%M}"}
        )
    return ActionRefused(
        _("The bureau is not asking for your response to this complaint now (it is “%(state)s”).")
        % {"state": case.state_label}
    )


def response_submit(
    *,
    actor: User,
    case_id,
    kind: str,
    amount: Decimal | None = None,
    pay_by: date | None = None,
    reasons: str = "",
    instalments: Iterable[tuple[date, Decimal]] = (),
    channel: str = ResponseChannel.PORTAL,
) -> EmployerResponse:
    """A representative answers the bureau's request: the case goes back to verification, the
    response clock is met (or met late: a late answer is accepted and marked late), the
    coordinator is told at once and the worker in plain words. Raises CaseNotFound,
    ActionRefused (bad input, nothing asked), CaseChanged (answered meanwhile)."""
    answer = clean_answer(
        kind=kind, amount=amount, pay_by=pay_by, reasons=reasons, instalments=instalments
    )

    def lock():
        case, roles = lock_for_representative(user=actor, case_id=case_id)
        named = case.parties.filter(company__isnull=False).values_list("company_id", flat=True)
        return case, roles, answering_company(actor, named)

    return _answer(actor=actor, case_id=case_id, answer=answer, channel=channel, lock=lock)


def response_record_for_employer(
    *,
    actor: User,
    case_id,
    company_id,
    kind: str,
    amount: Decimal | None = None,
    pay_by: date | None = None,
    reasons: str = "",
    instalments: Iterable[tuple[date, Decimal]] = (),
) -> EmployerResponse:
    """Staff record an answer the employer gave by phone, letter or in person: the same record
    and the same steps as the employer's own, marked as recorded by the bureau. `company_id`
    must be a company the case names."""
    answer = clean_answer(
        kind=kind, amount=amount, pay_by=pay_by, reasons=reasons, instalments=instalments
    )

    def lock():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        pk = parse_id(company_id)
        company = (
            Company.objects.filter(pk=pk, pk__in=case.parties.values("company_id")).first()
            if pk
            else None
        )
        if company is None:
            raise ActionRefused(_("Choose a company this complaint names."), field="company")
        return case, roles, company

    return _answer(
        actor=actor, case_id=case_id, answer=answer, channel=ResponseChannel.STAFF, lock=lock
    )


def _answer(*, actor, case_id, answer: Answer, channel: str, lock) -> EmployerResponse:
    found: dict = {}

    def locked():
        case, roles, company = lock()
        if case.state != CaseState.AWAITING_RESPONSE:
            raise _already_answered(case)
        found["company"] = company
        found["clock"] = (
            Deadline.objects.filter(case=case, rule__key=RESPONSE_RULE, status="running")
            .order_by("-started_on", "-pk")
            .first()
        )
        return case, roles

    def after(case: Case) -> None:
        found["response"] = _record(case, actor, found, answer, channel)

    case_record_response(
        actor=actor,
        case_id=case_id,
        reason=_summary(answer),
        lock=locked,
        after=after,
    )
    return found["response"]


def _summary(answer: Answer) -> str:
    """The state change's reason on the history page, in the answering person's words."""
    if answer.kind == ResponseKind.DISPUTE:
        return _("The employer disputes the complaint.")
    if answer.kind == ResponseKind.PLAN:
        return _("The employer proposes %(n)d instalments, the last by %(date)s.") % {
            "n": len(answer.plan),
            "date": f"{answer.pay_by:%Y-%m-%d}",
        }
    return _("The employer offers to pay by %(date)s.") % {"date": f"{answer.pay_by:%Y-%m-%d}"}


def _record(case, actor, found, answer: Answer, channel) -> EmployerResponse:
    company: Company = found["company"]
    clock: Deadline | None = found["clock"]
    today = timezone.localdate()
    late = bool(clock and (clock.due_on < today or clock.breached_at))
    response = EmployerResponse(
        case=case,
        company=company,
        kind=answer.kind,
        amount=answer.amount,
        pay_by=answer.pay_by,
        reasons=answer.reasons,
        channel=channel,
        responded_by=actor,
        due_on=clock.due_on if clock else None,
        is_late=late,
    )
    response._history_user = actor
    response.save()
    PlanInstalment.objects.bulk_create(
        PlanInstalment(response=response, position=n, due_on=day, amount=money)
        for n, (day, money) in enumerate(answer.plan, start=1)
    )
    params = {
        "answer": answer.kind,
        "company": company.short_name or company.name,
        "reference": case.reference,
        "amount": str(answer.amount) if answer.amount is not None else "",
        "pay_by": f"{answer.pay_by:%Y-%m-%d}" if answer.pay_by else "",
        "instalments": len(answer.plan),
        "late": late,
    }
    employer_responded_event(case=case, actor=actor, params=params)
    notify(
        recipients=case_handlers(case),
        kind=NotificationKind.EMPLOYER_RESPONDED,
        case=case,
        params=params,
    )
    notify(
        recipients=[case.worker],
        kind=NotificationKind.EMPLOYER_RESPONDED,
        case=case,
        params=params,
        sms=True,
    )
    return response


def employer_evidence_add(*, actor: User, case_id, files: list[CheckedFile]) -> list[Evidence]:
    """A representative adds files (checked like the worker's) to a complaint naming their
    company, while the case is open. The coordinator is told."""
    if not files:
        raise ActionRefused(_("Choose a file."), field="files")
    with transaction.atomic():
        case, _roles = lock_for_representative(user=actor, case_id=case_id)
        if case.state not in OPEN_STATES:
            raise ActionRefused(
                _("This complaint is closed (“%(state)s”): no more files can be added.")
                % {"state": case.state_label},
                field="files",
            )
        check_evidence_room(case.pk, files)
        before = set(Evidence.objects.filter(case=case).values_list("pk", flat=True))
        store_evidence(case, files, actor)
        evidence_added_event(case=case, actor=actor, file_names=[f.original_name for f in files])
        case_changed(case)
    return list(Evidence.objects.filter(case=case).exclude(pk__in=before).order_by("pk"))


def question_ask(*, actor: User, case_id, question: str) -> EmployerQuestion:
    """A representative asks the bureau about a complaint; the coordinator is told at once and
    answers on the case's employer page."""
    question = clean_text(question, "question", required=True, message=_("Write your question."))
    with transaction.atomic():
        case, _roles = lock_for_representative(user=actor, case_id=case_id)
        named = case.parties.filter(company__isnull=False).values_list("company_id", flat=True)
        company = answering_company(actor, named)
        asked = EmployerQuestion(case=case, company=company, question=question, asked_by=actor)
        asked._history_user = actor
        asked.save()
        name = company.short_name or company.name
        employer_question_event(case=case, actor=actor, company=name, question=question)
        notify(
            recipients=case_handlers(case),
            kind=NotificationKind.EMPLOYER_QUESTION,
            case=case,
            params={"company": name, "question": question[:200]},
        )
    return asked
