"""The employer risk pages: the list of companies by level, and one company's level."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from casework.core.errors import NotFound
from platforms.risk.forms import RiskFilterForm
from platforms.risk.selectors import (
    company_risk_for_user,
    risk_list_for_user,
    street_choices_for_user,
)

PAGE_SIZE = 50


@login_required
@require_safe
def risk_list(request):
    try:
        risk_list_for_user(user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    filters = RiskFilterForm(request.GET or None, streets=street_choices_for_user(request.user))
    data = filters.cleaned_data if filters.is_valid() else {"level": "", "kind": "", "street": None}
    rows = risk_list_for_user(
        user=request.user, level=data["level"], kind=data["kind"], street_id=data["street"]
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "risk/risk_list.html", context)


@login_required
@require_safe
def company_risk(request, company_id):
    try:
        page = company_risk_for_user(user=request.user, company_id=company_id)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "risk/company_risk.html", {"page": page})
