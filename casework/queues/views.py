"""The staff's queue page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from casework.cases.services.handling import cases_bulk_assign
from casework.core.actions import perform
from casework.organisation.access import scope_for
from casework.queues.forms import QueueBulkForm, QueueFilterForm
from casework.queues.selectors import (
    QueueFilters,
    assignable_staff_for_user,
    case_queue_for_user,
    queue_can_assign,
)

QUEUE_TITLES = {  # lazy: evaluated in the reader's language, not at import
    "mine": gettext_lazy("Assigned to me"),
    "team": gettext_lazy("My team and streets"),
    "unassigned": gettext_lazy("Unassigned"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "all": gettext_lazy("All I can see"),
}


def queue_column_labels() -> dict[str, str]:
    """Column headings of the queue, in order; also each cell's label on a phone."""
    return {
        "reference": _("Reference"),
        "status": _("Status"),
        "worker": _("Worker"),
        "category": _("Category"),
        "employer": _("Employer"),
        "street": _("Street"),
        "filed": _("Filed"),
        "due": _("Due"),
        "assignee": _("Assignee"),
    }


def _staff_only(request):
    if not scope_for(request.user).is_staff_member and not request.user.is_superuser:
        raise Http404


def queue_filters_from(form: QueueFilterForm) -> QueueFilters:
    """The queue's filters from its form (all of them dropped when the form is not valid)."""
    data = form.cleaned_data if form.is_valid() else {}
    return QueueFilters(
        queue=data.get("queue") or "team",
        state=data.get("state") or "",
        category=data.get("category") or "",
        platform=data["platform"].pk if data.get("platform") else None,
        street=data["street"].pk if data.get("street") else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        q=data.get("q") or "",
        sort=data.get("sort") or "",
        unit=data.get("unit"),
        collective=bool(data.get("collective")),
        resolved_from=data.get("resolved_from"),
        resolved_to=data.get("resolved_to"),
        clock=data.get("clock") or "",
    )


@login_required
@require_safe
def queue(request):
    _staff_only(request)
    form = QueueFilterForm(request.GET)
    filters = queue_filters_from(form)
    data = form.cleaned_data if form.is_valid() else {}
    page = case_queue_for_user(user=request.user, filters=filters, page=data.get("page") or 1)
    params = request.GET.copy()
    params.pop("page", None)
    can_assign = queue_can_assign(user=request.user)
    return render(
        request,
        "casework/queue.html",
        {
            "form": form,
            "page": page,
            "queue_tabs": [(key, title) for key, title in QUEUE_TITLES.items()],
            "current_queue": filters.queue,
            "query_without_page": params.urlencode(),
            "labels": queue_column_labels(),
            "can_assign": can_assign,
            "assignable": assignable_staff_for_user(user=request.user) if can_assign else [],
        },
    )


@login_required
@require_POST
def queue_bulk(request):
    """Claim the ticked cases, or assign them to one person; one message per case says what
    was done or why not. A case the user may not see answers 404 and nothing changes."""
    _staff_only(request)
    form = QueueBulkForm(request.POST)
    back = reverse("casework:queue")
    if not form.is_valid():
        messages.error(request, _("The list of cases was not understood; nothing was changed."))
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    if data["query"]:
        back += "?" + data["query"]
    outcome = perform(
        request,
        lambda: cases_bulk_assign(
            actor=request.user,
            chosen=data["case"],
            assignee_id=data["assignee"],
            claim=data["action"] == "claim",
        ),
    )
    for line in outcome.result or ():
        (messages.success if line.done else messages.error)(request, line.message)
    return HttpResponseRedirect(back)
