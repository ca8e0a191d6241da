"""The mediation page of a case or group, and its actions (each one service call)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from casework.core.actions import perform
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.uploads import accepts_uploads
from mediation.choices import ParticipantSide
from mediation.forms import (
    AgreementForm,
    RecordSessionForm,
    ScheduleForm,
    SignForm,
    VoidForm,
    aware,
)
from mediation.selectors import (
    agreement_subject_for_user,
    mediation_for_user,
    session_subject_for_user,
)
from mediation.services.agreements import (
    AgreementTerms,
    SignatureInput,
    agreement_draw_up,
    agreement_sign,
    agreement_void,
)
from mediation.services.sessions import (
    Invitee,
    SessionPlan,
    SessionRecord,
    session_cancel,
    session_record,
    session_schedule,
)


def _subject_kwargs(kind: str, pk: int) -> dict:
    if kind not in {"case", "group"}:
        raise Http404
    return {"case_id": pk} if kind == "case" else {"group_id": pk}


def _page_url(kind: str, pk: int) -> str:
    return reverse("mediation:page", args=[kind, pk])


def _load(request, kind, pk):
    try:
        return mediation_for_user(user=request.user, **_subject_kwargs(kind, pk))
    except CaseNotFound as exc:
        raise Http404 from exc


def _render(request, view, kind, pk, *, schedule_form=None, agreement_form=None, status=200):
    return render(
        request,
        "mediation/page.html",
        {
            "view": view,
            "kind": kind,
            "pk": pk,
            "schedule_form": schedule_form
            or ScheduleForm(mediators=view.mediators, actor=request.user),
            "agreement_form": agreement_form or AgreementForm(cases=view.mediating_cases),
            "record_forms": {
                s.pk: RecordSessionForm(participants=s.participants.all(), prefix=f"s{s.pk}")
                for s in view.sessions
            },
            "sign_forms": {
                a.agreement.pk: SignForm(parties=a.missing, prefix=f"a{a.agreement.pk}")
                for a in view.agreements
                if a.missing
            },
            "void_form": VoidForm(),
        },
        status=status,
    )


@login_required
@require_safe
def mediation_page(request, kind: str, pk: int):
    return _render(request, _load(request, kind, pk), kind, pk)


@login_required
@require_POST
def schedule_session(request, kind: str, pk: int):
    view = _load(request, kind, pk)
    form = ScheduleForm(request.POST, mediators=view.mediators, actor=request.user)
    if not form.is_valid():
        return _render(request, view, kind, pk, schedule_form=form, status=400)
    data = form.cleaned_data
    mediator = next(m for m in view.mediators if m.pk == data["mediator"])
    invitees = []
    for line in data["other_invitees"].splitlines():
        name, _comma, organisation = line.replace("，", ",").partition(",")
        invitees.append(Invitee(side=ParticipantSide.OTHER, name=name, organisation=organisation))
    plan = SessionPlan(
        scheduled_at=aware(data["scheduled_at"]),
        mediator=mediator,
        place=data["place"],
        online_link=data["online_link"],
        invitees=invitees,
    )
    done = perform(
        request,
        lambda: session_schedule(actor=request.user, plan=plan, **_subject_kwargs(kind, pk)),
        done=_("Session scheduled; the worker is told by text message."),
        form=form,
    )
    if not done:  # refused (a time gone by, too far ahead): the input stays, with the reason
        return _render(request, view, kind, pk, schedule_form=form, status=400)
    return HttpResponseRedirect(_page_url(kind, pk))


def _session_subject(request, session_id):
    try:
        return session_subject_for_user(user=request.user, session_id=session_id)
    except CaseNotFound as exc:
        raise Http404 from exc


@login_required
@require_POST
def record_session(request, session_id: int):
    kind, pk = _session_subject(request, session_id)
    view = _load(request, kind, pk)
    session = next((s for s in view.sessions if s.pk == session_id), None)
    if session is None:
        raise Http404
    form = RecordSessionForm(
        request.POST, participants=session.participants.all(), prefix=f"s{session_id}"
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(_page_url(kind, pk))
    data = form.cleaned_data
    record = SessionRecord(
        minutes=data["minutes"],
        outcome=data["outcome"],
        attended_ids=set(data["attended"]),
        end_mediation_reason=data["end_mediation_reason"],
    )
    perform(
        request,
        lambda: session_record(actor=request.user, session_id=session_id, record=record),
        done=_("Session recorded."),
    )
    return HttpResponseRedirect(_page_url(kind, pk))


@login_required
@require_POST
def cancel_session(request, session_id: int):
    kind, pk = _session_subject(request, session_id)
    perform(
        request,
        lambda: session_cancel(
            actor=request.user, session_id=session_id, reason=request.POST.get("reason", "")
        ),
        done=_("Session cancelled."),
    )
    return HttpResponseRedirect(_page_url(kind, pk))


@login_required
@require_POST
def draw_up_agreement(request, kind: str, pk: int):
    view = _load(request, kind, pk)
    form = AgreementForm(request.POST, cases=view.mediating_cases)
    if not form.is_valid():
        return _render(request, view, kind, pk, agreement_form=form, status=400)
    data = form.cleaned_data
    terms = AgreementTerms(
        facts=data["facts"],
        employer_signatory=data["employer_signatory"],
        payment_method=data["payment_method"],
        performance_deadline=data["performance_deadline"],
        amounts=data["amounts"],
        schedule=data["schedule"],
        waived_claims=data["waived_claims"],
        other_obligations=data["other_obligations"],
        above_claim_confirmed=data["above_claim_confirmed"],
    )
    try:
        agreement_draw_up(actor=request.user, terms=terms, **_subject_kwargs(kind, pk))
    except CaseNotFound as exc:
        raise Http404 from exc
    except ActionRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return _render(request, view, kind, pk, agreement_form=form, status=400)
    messages.success(request, _("Agreement drawn up. Print it for signing once the PDF is ready."))
    return HttpResponseRedirect(_page_url(kind, pk))


def _agreement_subject(request, agreement_id):
    try:
        return agreement_subject_for_user(user=request.user, agreement_id=agreement_id)
    except CaseNotFound as exc:
        raise Http404 from exc


@accepts_uploads()
@login_required
@require_POST
def sign_agreement(request, agreement_id: int):
    kind, pk = _agreement_subject(request, agreement_id)
    view = _load(request, kind, pk)
    entry = next((a for a in view.agreements if a.agreement.pk == agreement_id), None)
    if entry is None:
        raise Http404
    form = SignForm(request.POST, request.FILES, parties=entry.missing, prefix=f"a{agreement_id}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(_page_url(kind, pk))
    data = form.cleaned_data
    side, _colon, case_id = data["party"].partition(":")
    signature = SignatureInput(
        side=side,
        case_id=int(case_id) if case_id else None,
        signer_name=data["signer_name"],
        method=data["method"],
        scan=data["scan"],
        signed_at=aware(data["signed_at"]),
    )
    perform(
        request,
        lambda: agreement_sign(actor=request.user, agreement_id=agreement_id, signature=signature),
        done=lambda agreement: (
            _("Every party has signed: the agreement is binding.")
            if agreement.status == "binding"
            else _("Signature recorded.")
        ),
    )
    return HttpResponseRedirect(_page_url(kind, pk))


@login_required
@require_POST
def void_agreement(request, agreement_id: int):
    kind, pk = _agreement_subject(request, agreement_id)
    perform(
        request,
        lambda: agreement_void(
            actor=request.user, agreement_id=agreement_id, reason=request.POST.get("reason", "")
        ),
        done=_("Agreement voided."),
    )
    return HttpResponseRedirect(_page_url(kind, pk))
