"""Pages of governance work: screenings, campaigns, outreach lectures, round tables."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casework.clocks.work_calendar import load_calendar
from casework.core.actions import perform
from casework.core.bounds import parse_id
from casework.core.errors import NotFound
from casework.governance import selectors, services
from casework.governance.access import governance_scope
from casework.governance.choices import ScreeningStatus
from casework.governance.forms import (
    CampaignForm,
    CampaignResultsForm,
    CommitmentForm,
    CommitmentKeptForm,
    OutreachForm,
    ReinspectionForm,
    RoundTableForm,
    ScreeningFilterForm,
    ScreeningForm,
)

PAGE_SIZE = 50


def _or_404(call):
    try:
        return call()
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_safe
def home(request):
    user = request.user
    campaigns = _or_404(lambda: selectors.campaign_list_for_user(user=user))
    overdue = selectors.screening_list_for_user(user=user, overdue=True)[:20]
    totals = selectors.outreach_totals_for_user(user=user)
    context = {
        "campaigns": campaigns[:10],
        "overdue_screenings": list(overdue),
        "overdue_commitments": list(selectors.overdue_commitments_for_user(user=user)[:20]),
        "outreach_totals": totals,
        "records": bool(governance_scope(user).recording_unit_ids)
        or governance_scope(user).everything,
    }
    return render(request, "governance/home.html", context)


@login_required
@require_safe
def screening_list(request):
    filters = ScreeningFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {"status": "", "overdue": False}
    screenings = _or_404(
        lambda: selectors.screening_list_for_user(
            user=request.user, status=data["status"], overdue=data["overdue"]
        )
    )
    page = Paginator(screenings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/screening_list.html",
        {"filters": filters, "page": page, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def screening_new(request):
    user = request.user
    campaigns = [c for c, _p in _or_404(lambda: selectors.campaign_list_for_user(user=user))]
    if not governance_scope(user).everything and not governance_scope(user).recording_unit_ids:
        raise Http404
    initial = {"screened_on": timezone.localdate(), "inspectors": [user.pk]}
    for name in ("company", "campaign"):
        if parse_id(request.GET.get(name)):
            initial[name] = parse_id(request.GET.get(name))
    form = ScreeningForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        user=user,
        campaigns=campaigns,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = perform(
            request,
            lambda: services.screening_record(
                actor=user,
                company_id=data["company"],
                unit_id=data["unit"],
                screened_on=data["screened_on"],
                manner=data["manner"],
                inspector_ids=data["inspectors"],
                failed={item: data["finding_note"] for item in data["failed"]},
                correction_days=data["correction_days"],
                campaign_id=data["campaign"],
                note=data["note"],
            ),
            done=_("The screening is recorded."),
            form=form,
        )
        if outcome:
            return redirect("governance:screening_detail", outcome.result.pk)
    return render(request, "governance/screening_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def screening_detail(request, screening_id):
    user = request.user
    screening = _or_404(
        lambda: selectors.screening_get_for_user(user=user, screening_id=screening_id)
    )
    open_items = [f.item for f in screening.findings.all() if f.is_open]
    form = ReinspectionForm(
        request.POST if request.method == "POST" else None,
        initial={"reinspected_on": timezone.localdate()},
        open_items=open_items,
    )
    if request.method == "POST" and form.is_valid():
        outcome = perform(
            request,
            lambda: services.screening_reinspect(
                actor=user,
                screening_id=screening.pk,
                reinspected_on=form.cleaned_data["reinspected_on"],
                corrected=form.cleaned_data["corrected"],
                note=form.cleaned_data["note"],
            ),
            done=_("The re-inspection is recorded."),
            # Already re-inspected (a second tab, a replay): the page no longer shows the
            # form, so the refusal is said as a message.
            form=form if open_items else None,
        )
        if outcome:
            return redirect("governance:screening_detail", screening.pk)
    today = timezone.localdate()
    days_left = None
    if screening.status == ScreeningStatus.CORRECTING and screening.correction_due:
        days_left = load_calendar().working_days_between(today, screening.correction_due)
    context = {
        "screening": screening,
        "form": form,
        "may_record": governance_scope(user).records_in(screening.unit_id),
        "today": today,
        "days_left": days_left,
    }
    return render(request, "governance/screening_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_list(request):
    user = request.user
    campaigns = _or_404(lambda: selectors.campaign_list_for_user(user=user))
    form = CampaignForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = perform(
            request,
            lambda: services.campaign_create(
                actor=user,
                name=data["name"],
                unit_id=data["unit"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                target_ids=data["targets"],
            ),
            done=_("The campaign is created."),
            form=form,
        )
        if outcome:
            return redirect("governance:campaign_detail", outcome.result.pk)
    return render(request, "governance/campaign_list.html", {"campaigns": campaigns, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_detail(request, campaign_id):
    user = request.user
    detail = _or_404(lambda: selectors.campaign_get_for_user(user=user, campaign_id=campaign_id))
    form = CampaignResultsForm(
        request.POST if request.method == "POST" else None,
        initial={"results": detail.campaign.results},
    )
    if request.method == "POST" and form.is_valid():
        outcome = perform(
            request,
            lambda: services.campaign_set_results(
                actor=user, campaign_id=detail.campaign.pk, results=form.cleaned_data["results"]
            ),
            done=_("The results are saved."),
            form=form,
        )
        if outcome:
            return redirect("governance:campaign_detail", detail.campaign.pk)
    return render(request, "governance/campaign_detail.html", {"detail": detail, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def outreach(request):
    user = request.user
    lectures, totals = _or_404(lambda: selectors.outreach_list_for_user(user=user))
    form = OutreachForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        outcome = perform(
            request,
            lambda: services.outreach_record(actor=user, **_unit_named(form.cleaned_data)),
            done=_("The lecture is recorded."),
            form=form,
        )
        if outcome:
            return redirect("governance:outreach")
    context = {"lectures": lectures, "totals": totals, "form": form}
    return render(request, "governance/outreach.html", context)


def _unit_named(data: dict) -> dict:
    data = dict(data)
    data["unit_id"] = data.pop("unit")
    return data


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_table_list(request):
    user = request.user
    meetings = _or_404(lambda: selectors.round_table_list_for_user(user=user))
    form = RoundTableForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        outcome = perform(
            request,
            lambda: services.round_table_record(actor=user, **_unit_named(form.cleaned_data)),
            done=_("The round table is recorded."),
            form=form,
        )
        if outcome:
            return redirect("governance:round_table_detail", outcome.result.pk)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "governance/round_table_list.html", {"page": page, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_table_detail(request, round_table_id):
    user = request.user
    meeting = _or_404(
        lambda: selectors.round_table_get_for_user(user=user, round_table_id=round_table_id)
    )
    form = CommitmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = perform(
            request,
            lambda: services.commitment_add(
                actor=user,
                round_table_id=meeting.pk,
                party=data["party"],
                promise=data["promise"],
                due_on=data["due_on"],
                company_id=data["company"],
            ),
            done=_("The commitment is added."),
            form=form,
        )
        if outcome:
            return redirect("governance:round_table_detail", meeting.pk)
    context = {
        "meeting": meeting,
        "form": form,
        "may_record": governance_scope(user).records_in(meeting.unit_id),
        "today": timezone.localdate(),
    }
    return render(request, "governance/round_table_detail.html", context)


@login_required
@require_POST
def commitment_kept(request, commitment_id):
    # Another unit's commitment answers 404 before its form is read (not a form error).
    _or_404(
        lambda: selectors.commitment_get_for_user(user=request.user, commitment_id=commitment_id)
    )
    form = CommitmentKeptForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("governance:round_tables")
    outcome = perform(
        request,
        lambda: services.commitment_keep(
            actor=request.user, commitment_id=commitment_id, kept_on=form.cleaned_data["kept_on"]
        ),
        done=_("The commitment is marked kept."),
    )
    if outcome:
        return redirect("governance:round_table_detail", outcome.result.round_table_id)
    return redirect("governance:round_tables")
