"""The channels' pages for staff: work orders owed a reply, one work order on one screen, an
import with its preview, drafting and confirming a reply, the replies file, and the case
page's panel of a case's work orders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from casework.cases.views.case_pages import load_case_for_staff
from casework.channels.access import may_register, servable_units
from casework.channels.exports import FORMATS, replies_export
from casework.channels.forms import ImportForm, ReplyForm, WorkOrderForm
from casework.channels.imports import (
    import_confirm,
    import_get_for_user,
    import_preview,
    preview_of,
)
from casework.channels.pasted import parse_work_order
from casework.channels.replies import reply_confirm, reply_draft, reply_page_context
from casework.channels.selectors import order_get_for_user, orders_for_case, orders_for_user
from casework.channels.services import WorkOrder, upstream_order_register
from casework.core.actions import perform
from casework.core.errors import ActionRefused, NotFound
from casework.core.replica import replica_reads
from casework.core.uploads import accepts_uploads
from casework.intake.selectors import operator_names
from casework.organisation.access import scope_for
from casework.routing.router import NoTeamForJurisdiction


def _staff_only(request):
    scope = scope_for(request.user)
    if not (scope.is_staff_member or scope.is_admin):
        raise Http404


@login_required
@require_safe
def orders(request):
    """Work orders of the cases the user sees whose reply is still owed, soonest due first."""
    _staff_only(request)
    show = "all" if request.GET.get("show") == "all" else "open"
    rows = list(orders_for_user(user=request.user, replies=show)[:200])
    return render(
        request,
        "channels/orders.html",
        {
            "orders": rows,
            "show": show,
            "today": timezone.localdate(),
            "can_register": may_register(request.user),
        },
    )


def _register(request, form):
    data = form.cleaned_data
    order = WorkOrder(
        channel=data["channel"],
        reference=data["upstream_reference"],
        received_on=data["received_on"],
        due_on=data["due_on"],
        worker_mobile=data["worker_mobile"],
        worker_name=data["worker_name"],
        text=data["work_order_text"],
        complaint=form.complaint(),
    )
    try:
        return upstream_order_register(actor=request.user, order=order)
    except (ActionRefused, NoTeamForJurisdiction, ValidationError) as refusal:
        field = getattr(refusal, "field", None)
        message = getattr(refusal, "message", None) or str(refusal)
        if isinstance(refusal, ValidationError):
            message = refusal.messages[0]
        form.add_error(field if field in form.fields else None, message)
        return None


@accepts_uploads()
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    """One work order on one screen: paste its text, press "Read the text" to pre-fill, check
    and complete the fields, register. A number registered before leads to its case."""
    _staff_only(request)
    units = servable_units(request.user)
    if request.method == "POST" and "read" in request.POST:
        text = str(request.POST.get("work_order_text", ""))[:20000].replace("\x00", "")
        initial = parse_work_order(text)
        if initial.get("jurisdiction") and not units.filter(pk=initial["jurisdiction"]).exists():
            initial.pop("jurisdiction")
        for key in ("channel", "upstream_reference", "received_on"):
            if request.POST.get(key) and key not in initial:
                initial[key] = str(request.POST[key])[:64]
        initial.setdefault("received_on", timezone.localdate())
        initial["work_order_text"] = text
        form = WorkOrderForm(initial=initial, units=units)
        messages.info(request, _("Filled in what the text says plainly: check every field."))
    elif request.method == "POST":
        form = WorkOrderForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            result = _register(request, form)
            if result is not None:
                case, created = result
                if created:
                    messages.success(
                        request, _("Registered as %(reference)s.") % {"reference": case.reference}
                    )
                else:
                    messages.info(
                        request,
                        _("This work order was registered before, as %(reference)s.")
                        % {"reference": case.reference},
                    )
                return redirect("casework:case_detail", case_id=case.pk)
    else:
        form = WorkOrderForm(initial={"received_on": timezone.localdate()}, units=units)
    return render(request, "channels/register.html", {"form": form, "operators": operator_names()})


@accepts_uploads()
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request):
    """Upload an exported file; nothing is created before the preview is confirmed."""
    _staff_only(request)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", _("The file is larger than 5 MB: split it."))
        else:
            done = perform(
                request,
                lambda: import_preview(
                    actor=request.user,
                    channel=form.cleaned_data["channel"],
                    name=upload.name,
                    raw=upload.read(),
                ),
                form=form,
            )
            if done:
                return redirect("channels:import_preview", import_id=done.result.batch.pk)
    return render(request, "channels/import_upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_preview_view(request, import_id: int):
    try:
        batch = import_get_for_user(user=request.user, import_id=import_id)
    except NotFound as exc:
        raise Http404 from exc
    if request.method == "POST":
        done = perform(request, lambda: import_confirm(actor=request.user, import_id=batch.pk))
        if done:
            messages.success(
                request,
                _("%(count)s cases created.") % {"count": done.result.created_count},
            )
        return redirect("channels:import_preview", import_id=batch.pk)
    return render(request, "channels/import_preview.html", {"preview": preview_of(batch)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request, order_id: int):
    """Draft the reply of a concluded case's work order, edit it, confirm it as sent."""
    try:
        order = order_get_for_user(user=request.user, order_id=order_id)
    except NotFound as exc:
        raise Http404 from exc
    form = ReplyForm(initial={"text": order.reply_text})
    if request.method == "POST" and "draft" in request.POST:
        done = perform(request, lambda: reply_draft(actor=request.user, order_id=order.pk))
        if done:
            return HttpResponseRedirect(reverse("channels:reply", args=[order.pk]))
    elif request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            done = perform(
                request,
                lambda: reply_confirm(
                    actor=request.user, order_id=order.pk, text=form.cleaned_data["text"]
                ),
                done=_("Recorded as sent."),
                form=form,
            )
            if done:
                return HttpResponseRedirect(reverse("channels:reply", args=[order.pk]))
    context = {"order": order, "form": form, **reply_page_context(order=order)}
    return render(request, "channels/reply.html", context)


@login_required
@require_safe
@replica_reads
def replies_file(request, fmt: str):
    _staff_only(request)
    if fmt not in FORMATS:
        raise Http404
    channel = str(request.GET.get("channel", ""))[:20]
    name, content_type, body = replies_export(user=request.user, fmt=fmt, channel=channel)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def case_panel(request, case_id: int):
    """The case page's panel: the case's work orders, their deadlines and replies."""
    case, _roles = load_case_for_staff(request, case_id)
    rows = orders_for_case(user=request.user, case=case)
    template = "channels/partials/case_orders.html"
    if request.GET.get("panel") != "1":
        template = "channels/case_orders.html"
    return render(request, template, {"case": case, "orders": rows, "today": timezone.localdate()})
