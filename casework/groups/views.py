"""Grouping related complaints, and the group page with its group actions."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from casework.cases.selectors import staff_who_can_take
from casework.cases.views.case_pages import load_case_for_staff
from casework.core.bounds import parse_id, parse_ids
from casework.core.errors import ActionRefused, NotFound
from casework.groups.selectors import group_get_for_user
from casework.groups.services import (
    GROUPERS,
    group_add_cases,
    group_assign,
    group_start_mediation,
    group_suggestions_for_case,
)


@login_required
@require_POST
def group_cases_view(request, case_id: int):
    """From a case page: put this case and the ticked suggestions into a (new) group."""
    ids = parse_ids([case_id, *request.POST.getlist("cases")])
    group_id = request.POST.get("group")
    try:
        group = group_add_cases(
            actor=request.user,
            case_ids=ids,
            group_id=parse_id(group_id),
        )
    except NotFound as exc:
        raise Http404 from exc
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(reverse("casework:case_detail", args=[case_id]))
    messages.success(request, _("Grouped."))
    return redirect(reverse("casework:group_detail", args=[group.pk]))


@login_required
@require_safe
def group_detail(request, group_id: int):
    try:
        group, cases = group_get_for_user(user=request.user, group_id=group_id)
    except NotFound as exc:
        raise Http404 from exc
    workers = {case.worker_id for case in cases}
    return render(
        request,
        "casework/group_detail.html",
        {
            "group": group,
            "cases": cases,
            "worker_count": len(workers),
            "total_claimed": sum((c.amount_claimed for c in cases), Decimal("0.00")),
            "candidates": list(staff_who_can_take(case=cases[0])),
        },
    )


@login_required
@require_POST
def group_action_view(request, group_id: int, action: str):
    try:
        if action == "assign":
            assignee = request.POST.get("assignee", "")
            count = group_assign(
                actor=request.user,
                group_id=group_id,
                assignee_id=parse_id(assignee),
            )
            messages.success(
                request,
                ngettext("%(n)d case assigned.", "%(n)d cases assigned.", count) % {"n": count},
            )
        elif action == "start-mediation":
            count = group_start_mediation(
                actor=request.user, group_id=group_id, reason=request.POST.get("reason", "")[:2000]
            )
            messages.success(
                request,
                ngettext(
                    "%(n)d case is now in mediation.", "%(n)d cases are now in mediation.", count
                )
                % {"n": count},
            )
        else:
            raise Http404
    except NotFound as exc:
        raise Http404 from exc
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    return redirect(reverse("casework:group_detail", args=[group_id]))


@login_required
@require_safe
def case_related(request, case_id: int):
    """Open complaints against the same employer over an overlapping period, to group with
    this one. `?panel=1` answers the fragment the case page shows; otherwise a whole page."""
    case, roles = load_case_for_staff(request, case_id)
    if not roles & GROUPERS:
        raise Http404
    context = {
        "case": case,
        "suggestions": group_suggestions_for_case(user=request.user, case=case),
    }
    if request.GET.get("panel") == "1":
        return render(request, "casework/partials/related.html", context)
    return render(request, "casework/case_related.html", context)
