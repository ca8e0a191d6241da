"""Coordinators' queues and the case page (staff and worker views of the same case)."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from casework.cases.choices import UPSTREAM_CHANNELS
from casework.cases.forms import (
    AssignForm,
    NoteForm,
    TransitionForm,
    WithdrawForm,
    WorkerMessageForm,
    unbound_fields_html,
)
from casework.cases.lifecycle import STATES, TRANSITIONS
from casework.cases.models import SeenCase
from casework.cases.selectors import (
    case_actions_for_user,
    case_for_staff,
    case_get_for_user,
    case_list_for_worker,
    evidence_get_for_user,
    staff_who_can_take,
)
from casework.cases.services.evidence import case_worker_message
from casework.cases.services.handling import case_add_note, case_assign, case_claim
from casework.cases.services.transitions import case_transition
from casework.clocks.selectors import accept_due_for
from casework.core.actions import perform
from casework.core.errors import ActionRefused, CaseChanged, CaseNotFound
from casework.core.roles import ASSIGNERS
from casework.core.uploads import accepts_uploads, private_file_response, request_too_large
from casework.organisation import principal
from casework.privacy.selectors import (
    data_openings_for_worker,
    revealed_once,
    worker_data_for_staff,
)
from casework.privacy.services import evidence_download_record


def _load(request, case_id):
    try:
        return case_get_for_user(user=request.user, case_id=case_id)
    except CaseNotFound as exc:
        raise Http404 from exc


def load_case_for_staff(request, case_id):
    try:
        return case_for_staff(user=request.user, case_id=case_id)
    except CaseNotFound as exc:
        raise Http404 from exc


@login_required
@require_safe
def case_detail(request, case_id: int):
    view = _load(request, case_id)
    case = view.case
    if not view.is_staff_view:
        state = STATES[case.state]
        headline, next_step = state.headline, state.next_step
        return render(
            request,
            "casework/worker_case.html",
            {
                "view": view,
                "case": case,
                "headline": headline,
                "next_step": next_step,
                "accept_due": accept_due_for(case),
                "message_form": WorkerMessageForm(),
                "can_withdraw": any(name == "withdraw" for name, _r in view.transitions),
                "openings": data_openings_for_worker(user=request.user, case=case),
            },
        )
    return _staff_page(request, view)


# The states case_actions.html offers the assignment form in (its `in` reads this string).
ASSIGN_FORM_STATES = (
    "submitted accepted verifying awaiting_response mediating agreement_reached mediation_failed"
)


def _actions_context(view, user) -> dict:
    """What the status and actions panel shows: the state, the assignee, the buttons. The
    `seen` token goes into every form that changes the case (casework/cases/models/seen.py)."""
    case = view.case
    can_assign = bool(view.roles & ASSIGNERS)
    # The candidates only where the assignment form is shown (case_actions.html's condition).
    shows_assign = can_assign and case.state in ASSIGN_FORM_STATES
    return {
        "view": view,
        "case": case,
        "seen": SeenCase.token_for(case),
        "candidates": principal.kept_staff(
            user,
            ("case", case.team_id, case.jurisdiction_id),
            lambda: staff_who_can_take(case=case),
        )
        if shows_assign
        else [],
        "can_assign": can_assign,
        "transition_fields": unbound_fields_html(TransitionForm),
    }


def _staff_page(request, view, *, note_form=None):
    # The change history and the related complaints have their own pages; the related
    # complaints panel is fetched by the page once it has loaded (static/js/panels.js).
    worker_data = worker_data_for_staff(
        case=view.case, roles=view.roles, revealed=revealed_once(request.session, view.case.pk)
    )
    return render(
        request,
        "casework/case_detail.html",
        {
            **_actions_context(view, request.user),
            "note_fields": _fields_html(note_form) if note_form else unbound_fields_html(NoteForm),
            "upstream_channels": UPSTREAM_CHANNELS,
            "worker_data": worker_data,
        },
    )


@login_required
@require_safe
def case_actions_panel(request, case_id: int):
    """The case page's status and actions, as they are now: the open page swaps them in when
    someone else changes the case (static/js/live.js). Staff only; others get 404."""
    try:
        view = case_actions_for_user(user=request.user, case_id=case_id)
    except CaseNotFound as exc:
        raise Http404 from exc
    return render(request, "casework/partials/case_live.html", _actions_context(view, request.user))


def _back(case_id):
    return redirect(reverse("casework:case_detail", args=[case_id]))


@login_required
@require_POST
def case_transition_view(request, case_id: int, name: str):
    form = TransitionForm(request.POST)
    if name not in TRANSITIONS:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return _back(case_id)
    data = form.cleaned_data
    perform(
        request,
        lambda: case_transition(
            actor=request.user,
            case_id=case_id,
            name=name,
            expected_state=data["expected_state"],
            reason=data["reason"],
            referral_target=data["referral_target"],
            referral_reference=data["referral_reference"],
            waiver=data["waiver"],
        ),
        done=lambda case: _("Done: the case is now “%(state)s”.") % {"state": case.state_label},
    )
    return _back(case_id)


@login_required
@require_POST
def case_withdraw_view(request, case_id: int):
    """The worker's own withdraw button (a reason is optional for them)."""
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return _back(case_id)
    perform(
        request,
        lambda: case_transition(
            actor=request.user,
            case_id=case_id,
            name="withdraw",
            expected_state=form.cleaned_data["expected_state"],
            reason=form.cleaned_data["reason"],
        ),
        done=_("Your complaint has been withdrawn."),
    )
    return _back(case_id)


@login_required
@require_POST
def case_assign_view(request, case_id: int):
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose someone from the list."))
        return _back(case_id)
    seen = form.cleaned_data["seen"]
    if "claim" in request.POST:
        perform(
            request,
            lambda: case_claim(actor=request.user, case_id=case_id, seen=seen),
            done=_("The case is yours now."),
        )
    else:
        perform(
            request,
            lambda: case_assign(
                actor=request.user,
                case_id=case_id,
                assignee_id=form.cleaned_data["assignee"],
                expected_assignee=form.cleaned_data["expected_assignee"],
                seen=seen,
            ),
            done=_("Assignment saved."),
        )
    if request.POST.get("from") == "queue":
        return redirect(reverse("casework:queue") + "?" + request.POST.get("query", "")[:2000])
    return _back(case_id)


@login_required
@require_POST
def case_note_view(request, case_id: int):
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is empty or too long."))
        return _back(case_id)
    try:
        case_add_note(
            actor=request.user,
            case_id=case_id,
            body=form.cleaned_data["body"],
            is_public=form.cleaned_data["is_public"],
            seen=form.cleaned_data["seen"],
        )
    except CaseNotFound as exc:
        raise Http404 from exc
    except CaseChanged as refusal:
        # The page is shown again as the case is now, the note still in its box: nothing
        # typed is lost, and the coordinator adds it again once they have checked.
        messages.error(request, refusal.message)
        messages.info(request, _("Your note was not added. It is still in the box below."))
        return _staff_page(request, _load(request, case_id), note_form=_retyped_note(form))
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    return _back(case_id)


def _fields_html(form) -> dict[str, str]:
    return {
        name: render_to_string("partials/field.html", {"field": form[name]}) for name in form.fields
    }


def _retyped_note(form: NoteForm) -> NoteForm:
    return NoteForm(
        initial={"body": form.cleaned_data["body"], "is_public": form.cleaned_data["is_public"]}
    )


@accepts_uploads()
@login_required
@require_POST
def case_message_view(request, case_id: int):
    if request_too_large(request):
        messages.error(request, _("The files are too large together."))
        return _back(case_id)
    form = WorkerMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(case_id)
    perform(
        request,
        lambda: case_worker_message(
            actor=request.user,
            case_id=case_id,
            body=form.cleaned_data["body"],
            files=form.cleaned_data["files"],
        ),
        done=_("Sent. The coordinator will see it on your case."),
    )
    return _back(case_id)


@login_required
@require_safe
def evidence_file(request, case_id: int, evidence_id: int):
    """Serve a piece of evidence to someone allowed to see the case, never as a web page."""
    try:
        evidence = evidence_get_for_user(
            user=request.user, case_id=case_id, evidence_id=evidence_id
        )
    except CaseNotFound as exc:
        raise Http404 from exc
    if evidence.case.worker_id != request.user.pk:
        # Someone else's personal data (a worker's own files are not logged).
        evidence_download_record(actor=request.user, evidence=evidence, page=_referer(request))
    return private_file_response(
        evidence.file,
        content_type=evidence.content_type,
        filename=evidence.original_name,
        download="download" in request.GET,
    )


def _referer(request) -> str:
    return urlsplit(request.headers.get("Referer", "")).path


@login_required
@require_safe
def my_cases(request):
    if not request.user.is_worker:
        return redirect("casework:queue")
    return render(
        request, "casework/my_cases.html", {"cases": list(case_list_for_worker(user=request.user))}
    )
