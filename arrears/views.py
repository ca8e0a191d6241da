"""Employer totals: the arrears ledger per company, and one company's cases."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from arrears.forms import EmployerListForm
from arrears.selectors import employer_get_for_user, employer_totals_for_user
from casework.core.errors import CaseNotFound

COLUMNS = {  # sortable columns, in the order shown
    "cases": _("Cases"),
    "claimed": _("Claimed"),
    "verified": _("Verified"),
    "agreed": _("Agreed"),
    "paid": _("Paid"),
    "outstanding": _("Outstanding"),
}


def _query(request) -> dict:
    form = EmployerListForm(request.GET)
    return form.cleaned_data if form.is_valid() else {}


@login_required
@require_safe
def employer_list(request):
    query = _query(request)
    try:
        page = employer_totals_for_user(
            user=request.user, sort=query.get("sort") or "outstanding", page=query.get("page") or 1
        )
    except CaseNotFound as exc:
        raise Http404 from exc
    return render(request, "arrears/employers.html", {"page": page, "columns": COLUMNS})


@login_required
@require_safe
def employer_detail(request, company_id: int):
    query = _query(request)
    try:
        detail = employer_get_for_user(
            user=request.user, company_id=company_id, page=query.get("page") or 1
        )
    except CaseNotFound as exc:
        raise Http404 from exc
    return render(request, "arrears/employer_detail.html", {"detail": detail})
