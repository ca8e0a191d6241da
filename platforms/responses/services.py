"""A platform or company answers a complaint the bureau put to it: accept with an amount and a
payment date, dispute with reasons, or propose a payment plan; add evidence; ask the
coordinator a question. Through the portal (platforms.portal) and the API (platforms.api)
alike: each function locks the case through the representative's scope, so another
company's case answers CaseNotFound (a 404) before anything is read."""

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
from casework.core.bounds import MAX_DATE
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
from platforms.responses.audiences import case_handlers

RESPONSE_RULE = "PLATFORM_RESPONSE"
MAX_AMOUNT = Decimal("10000000.00")
MAX_INSTALMENTS = 24
# How far ahead an employer may promise to pay: beyond a year it is no answer to arrears.
LONGEST_PROMISE_DAYS = 366
MAX_TEXT = 4000


def _clean_amount(amount, field: str = "amount") -> Decimal:
    if amount is None or amount == "":
        raise ActionRefused(_("Enter the amount you will pay."), field=field)
    if not isinstance(amount, Decimal):
        raise ActionRefused(_("Enter an amount in yuan, e.g. 3260.00."), field=field)
    if not amount.is_finite() or amount <= 0:
        raise ActionRefused(_("The amount must be more than zero."), field=field)
    if amount > MAX_AMOUNT:
        raise ActionRefused(_("That amount is too large for one complaint."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ActionRefused(_("Amounts have at most two decimal places (fen)."), field=field)
    return amount.quantize(Decimal("0.01"))


def _clean_pay_by(day, field: str = "pay_by") -> date:
    if not isinstance(day, date):
        raise ActionRefused(_("Enter the date you will pay by."), field=field)
    today = timezone.localdate()
    if day < today:
        raise ActionRefused(_("The payment date cannot be in the past."), field=field)
    if (day - today).days > LONGEST_PROMISE_DAYS or day > MAX_DATE:
        raise ActionRefused(_("Promise a payment date within one year."), field=field)
    return day


def clean_text(text: str, field: str, *, required: bool, message: str = "") -> str:
    text = (text or "").strip()
    if required and not text:
        raise ActionRefused(message or _("Please fill in this field."), field=field)
    if len(text) > MAX_TEXT:
        raise ActionRefused(
            _("Please keep this under %(n)d characters.") % {"n": MAX_TEXT}, field=field
        )
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text) or "\x7f" in text:
        raise ActionRefused(_("This text contains characters that cannot be stored."), field=field)
    return text


def _clean_plan(instalments: Iterable) -> list[tuple[date, Decimal]]:
    rows = [
        (_clean_pay_by(day, "instalments"), _clean_amount(amount, "instalments"))
        for day, amount in instalments
    ]
    if len(rows) < 2:
        raise ActionRefused(
            _("A payment plan has at least two instalments; otherwise accept with one date."),
            field="instalments",
        )
    if len(rows) > MAX_INSTALMENTS:
        raise ActionRefused(
            _("A payment plan has at most %(n)d instalments.") % {"n": MAX_INSTALMENTS},
            field="instalments",
        )
    days = [day for day, _amount in rows]
    if days != sorted(days) or len(set(days)) != len(days):
        raise ActionRefused(
            _("Give the instalments in date order, one per date."), field="instalments"
        )
    if sum(amount for _day, amount in rows) > MAX_AMOUNT:
        raise ActionRefused(_("That amount is too large for one complaint."), field="instalments")
    return rows


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
    """Answer the bureau's request: the case goes back to verification, the response clock is
    met (or met late: a late answer is accepted and marked late), the coordinator is told at
    once and the worker in plain words. Raises CaseNotFound, ActionRefused (bad input, nothing
    asked), CaseChanged (answered meanwhile)."""
    if kind not in ResponseKind.values:
        raise ActionRefused(_("Choose how you answer."), field="kind")
    reasons = clean_text(
        reasons,
        "reasons",
        required=kind == ResponseKind.DISPUTE,
        message=_("Say why you dispute the complaint."),
    )
    plan: list[tuple[date, Decimal]] = []
    if kind == ResponseKind.ACCEPT:
        amount, pay_by = _clean_amount(amount), _clean_pay_by(pay_by)
    elif kind == ResponseKind.PLAN:
        plan = _clean_plan(instalments)
        amount, pay_by = sum(a for _d, a in plan), plan[-1][0]
    else:
        amount = pay_by = None
    found: dict = {}

    def lock():
        case, roles = lock_for_representative(user=actor, case_id=case_id)
        if case.state != CaseState.AWAITING_RESPONSE:
            raise _already_answered(case)
        named = case.parties.filter(company__isnull=False).values_list("company_id", flat=True)
        found["company"] = answering_company(actor, named)
        found["clock"] = (
            Deadline.objects.filter(case=case, rule__key=RESPONSE_RULE, status="running")
            .order_by("-started_on", "-pk")
            .first()
        )
        return case, roles

    def after(case: Case) -> None:
        found["response"] = _record(
            case, actor, found, kind, amount, pay_by, reasons, plan, channel
        )

    case_record_response(
        actor=actor,
        case_id=case_id,
        reason=_summary(kind, amount, pay_by, len(plan)),
        lock=lock,
        after=after,
    )
    return found["response"]


def _summary(kind, amount, pay_by, n) -> str:
    """The state change's reason on the history page, in the answering person's words."""
    if kind == ResponseKind.DISPUTE:
        return _("The employer disputes the complaint.")
    if kind == ResponseKind.PLAN:
        return _("The employer proposes %(n)d instalments, the last by %(date)s.") % {
            "n": n,
            "date": f"{pay_by:%Y-%m-%d}",
        }
    return _("The employer offers to pay by %(date)s.") % {"date": f"{pay_by:%Y-%m-%d}"}


def _record(case, actor, found, kind, amount, pay_by, reasons, plan, channel) -> EmployerResponse:
    company: Company = found["company"]
    clock: Deadline | None = found["clock"]
    today = timezone.localdate()
    late = bool(clock and (clock.due_on < today or clock.breached_at))
    response = EmployerResponse(
        case=case,
        company=company,
        kind=kind,
        amount=amount,
        pay_by=pay_by,
        reasons=reasons,
        channel=channel,
        responded_by=actor,
        due_on=clock.due_on if clock else None,
        is_late=late,
    )
    response._history_user = actor
    response.save()
    PlanInstalment.objects.bulk_create(
        PlanInstalment(response=response, position=n, due_on=day, amount=money)
        for n, (day, money) in enumerate(plan, start=1)
    )
    params = {
        "answer": kind,
        "company": company.short_name or company.name,
        "reference": case.reference,
        "amount": str(amount) if amount is not None else "",
        "pay_by": f"{pay_by:%Y-%m-%d}" if pay_by else "",
        "instalments": len(plan),
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
