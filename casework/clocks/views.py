"""Clock and tier actions on a case: pause, resume, extend, escalate, hand back down."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.cases.models import refuses_stale_pages
from casework.clocks.escalation import case_deescalate, case_escalate
from casework.clocks.extensions import (
    deadline_extend,
    deadline_extension_approve,
    deadline_extension_refuse,
)
from casework.clocks.services import case_clocks_pause, case_clocks_resume
from casework.core.actions import perform

ACTIONS = {
    "pause": (
        lambda request, case_id: case_clocks_pause(
            actor=request.user, case_id=case_id, reason=request.POST.get("reason", "")[:500]
        ),
        gettext_lazy("The clocks are paused."),
    ),
    "resume": (
        lambda request, case_id: case_clocks_resume(actor=request.user, case_id=case_id),
        gettext_lazy("The clocks run again; due dates moved by the paused days."),
    ),
    "escalate": (
        lambda request, case_id: case_escalate(
            actor=request.user, case_id=case_id, reason=request.POST.get("reason", "")[:500]
        ),
        gettext_lazy("The case moved one tier up."),
    ),
    "deescalate": (
        lambda request, case_id: case_deescalate(
            actor=request.user, case_id=case_id, reason=request.POST.get("reason", "")[:500]
        ),
        gettext_lazy("The case moved one tier down."),
    ),
}


@login_required
@require_POST
@refuses_stale_pages(watching=("state", "team"))
def case_clock_action(request, case_id: int, action: str):
    if action not in ACTIONS:
        raise Http404
    call, done = ACTIONS[action]
    perform(request, lambda: call(request, case_id), done=done)
    return redirect(reverse("casework:case_detail", args=[case_id]))


@login_required
@require_POST
@refuses_stale_pages(watching=("state", "team"))
def deadline_extend_view(request, case_id: int, deadline_id: int):
    perform(
        request,
        lambda: deadline_extend(
            actor=request.user, deadline_id=deadline_id, reason=request.POST.get("reason", "")[:500]
        ),
        done=lambda extension: (
            _("Extended.")
            if extension.approved_by_id
            else _("Extension requested from a supervisor.")
        ),
    )
    return redirect(reverse("casework:case_detail", args=[case_id]))


@login_required
@require_POST
@refuses_stale_pages(watching=("state", "team"))
def extension_approve_view(request, case_id: int, extension_id: int):
    perform(
        request,
        lambda: deadline_extension_approve(actor=request.user, extension_id=extension_id),
        done=_("Extension approved."),
    )
    return redirect(reverse("casework:case_detail", args=[case_id]))


@login_required
@require_POST
@refuses_stale_pages(watching=("state", "team"))
def extension_refuse_view(request, case_id: int, extension_id: int):
    perform(
        request,
        lambda: deadline_extension_refuse(
            actor=request.user,
            extension_id=extension_id,
            reason=request.POST.get("reason", "")[:500],
        ),
        done=_("Extension refused; the due date stays."),
    )
    return redirect(reverse("casework:case_detail", args=[case_id]))
