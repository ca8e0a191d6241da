"""The employer registry's pages (district supervisors) and the invitee's page (public link)."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casework.core.actions import perform
from casework.core.errors import NotFound
from casework.organisation import principal
from platforms.registry import selectors, services
from platforms.registry.forms import (
    AcceptInvitationForm,
    CompanyForm,
    CompanySearchForm,
    InvitationForm,
)
from platforms.registry.selectors import company_get_for_user, company_list_for_user


def _or_404(call):
    try:
        return call()
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_safe
def company_list(request):
    search = CompanySearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {"q": "", "kind": ""}
    companies = _or_404(
        lambda: company_list_for_user(user=request.user, search=filters["q"], kind=filters["kind"])
    )
    page = Paginator(companies, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "platforms/company_list.html", {"search": search, "page": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_edit(request, company_id=None):
    company = None
    if company_id is not None:
        company = _or_404(lambda: company_get_for_user(user=request.user, company_id=company_id))
    else:
        _or_404(lambda: company_list_for_user(user=request.user))
    if request.method == "POST":
        form = CompanyForm(request.POST)
        if form.is_valid():
            outcome = perform(
                request,
                lambda: services.company_save(
                    actor=request.user, company_id=company_id, data=form.cleaned_data
                ),
                done=_("The company is saved."),
                form=form,
            )
            if outcome:
                return redirect("platforms:company_detail", outcome.result.pk)
    elif company is not None:
        form = CompanyForm(initial={f: getattr(company, f) for f in services.COMPANY_FIELDS})
    else:
        form = CompanyForm()
    return render(request, "platforms/company_form.html", {"form": form, "company": company})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_detail(request, company_id):
    company = _or_404(lambda: company_get_for_user(user=request.user, company_id=company_id))
    form = InvitationForm(request.POST or None)
    invitation_link = None
    if request.method == "POST" and form.is_valid():
        outcome = perform(
            request,
            lambda: services.invitation_create(
                actor=request.user,
                company_id=company.pk,
                link_for=lambda token: request.build_absolute_uri(
                    reverse("platforms:invitation_accept", args=[token])
                ),
                **form.cleaned_data,
            ),
            form=form,
        )
        if outcome:
            invitation_link = outcome.result[1]
            form = InvitationForm()
    context = {
        "company": company,
        "below": selectors.company_chain_below(company),
        "form": form,
        "invitation_link": invitation_link,
        "now": timezone.now(),
        **selectors.company_people(company),
    }
    return render(request, "platforms/company_detail.html", context)


@login_required
@require_POST
def invitation_revoke(request, invitation_id):
    outcome = perform(
        request,
        lambda: services.invitation_revoke(actor=request.user, invitation_id=invitation_id),
        done=_("The invitation is withdrawn: its link no longer works."),
    )
    if outcome:
        return redirect("platforms:company_detail", outcome.result.company_id)
    return redirect("platforms:company_list")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token):
    invitation = _or_404(lambda: services.invitation_for_token(token))
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = perform(
            request,
            lambda: services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            ),
            done=_("Your account is ready. You represent %(company)s.")
            % {"company": invitation.company.name},
            form=form,
        )
        if outcome:
            login(request, outcome.result, backend=principal.BACKEND)
            return redirect("casework:home")
    return render(
        request, "platforms/invitation_accept.html", {"invitation": invitation, "form": form}
    )
