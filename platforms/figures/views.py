"""The response figures pages: the registry's (supervisors, under /companies/) and the
portal's (representatives, under /platform/figures/). Both read the same selectors, which
decide what the user may see; the pages differ only in their links."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from casework.core.errors import NotFound
from platforms.figures import selectors
from platforms.figures.exports import column_labels, csv_response
from platforms.figures.forms import FigureCasesForm, FiguresFilterForm
from platforms.figures.months import MonthRange

CASES_PAGE_SIZE = 25


@dataclass(frozen=True)
class Audience:
    """Where the pages of one audience link to."""

    prefix: str  # of the URL names in this app
    case_url: str  # the page of one case this audience may open
    as_representative: bool


REGISTRY = Audience(prefix="registry", case_url="casework:case_detail", as_representative=False)
PORTAL = Audience(prefix="portal", case_url="portal:case", as_representative=True)


def _or_404(call):
    try:
        return call()
    except NotFound as exc:
        raise Http404 from exc


def _context(audience: Audience, form, months: MonthRange, **extra) -> dict:
    name = f"figures:{audience.prefix}_"
    return {
        "audience": audience.prefix,
        "case_url": audience.case_url,
        "companies_url": name + "companies",
        "companies_csv_url": name + "companies_csv",
        "months_url": name + "months",
        "months_csv_url": name + "months_csv",
        "cases_url": name + "cases",
        "form": form,
        "months": months,
        "range_query": months.query(),
        "columns": column_labels(),
        **extra,
    }


def _companies(request, audience: Audience, *, csv: bool):
    form = FiguresFilterForm(request.GET or None)
    months, sort = form.month_range(), form.sort_key()
    rows = _or_404(
        lambda: selectors.company_figures_list(
            user=request.user,
            months=months,
            sort=sort,
            as_representative=audience.as_representative,
        )
    )
    if csv:
        return csv_response(
            f"response-figures-{months.first:%Y%m}-{months.last:%Y%m}.csv",
            _("Company"),
            [(row.company.name, row.figures) for row in rows],
        )
    tops = selectors.represented_tops(user=request.user) if audience is PORTAL else []
    own = None
    if tops:
        own = selectors.company_figures_by_month(
            user=request.user, company_id=tops[0].pk, months=months, as_representative=True
        )
    return render(
        request,
        "platforms/figures/companies.html",
        _context(audience, form, months, rows=rows, sort=sort, own=own),
    )


def _months(request, audience: Audience, company_id, *, csv: bool):
    form = FiguresFilterForm(request.GET or None)
    months = form.month_range()
    table = _or_404(
        lambda: selectors.company_figures_by_month(
            user=request.user,
            company_id=company_id,
            months=months,
            as_representative=audience.as_representative,
        )
    )
    if csv:
        rows = [(f"{row.month:%Y-%m}", row.figures) for row in table.months]
        return csv_response(
            f"response-figures-{table.company.pk}-{months.first:%Y%m}-{months.last:%Y%m}.csv",
            _("Month"),
            [*rows, (_("All months"), table.total)],
        )
    return render(
        request, "platforms/figures/months.html", _context(audience, form, months, table=table)
    )


def _cases(request, audience: Audience, company_id):
    form = FigureCasesForm(request.GET or None)
    months = form.month_range()
    outcome = (form.cleaned_data.get("outcome") if form.is_valid() else "") or "requests"
    company = _or_404(
        lambda: selectors.company_get_for_figures(
            user=request.user, company_id=company_id, as_representative=audience.as_representative
        )
    )
    cases = _or_404(
        lambda: selectors.figure_cases(
            user=request.user,
            company_id=company.pk,
            months=months,
            outcome=outcome,
            as_representative=audience.as_representative,
        )
    )
    page = Paginator(cases, CASES_PAGE_SIZE).get_page(
        form.cleaned_data.get("page") if form.is_valid() else 1
    )
    return render(
        request,
        "platforms/figures/cases.html",
        _context(
            audience,
            form,
            months,
            company=company,
            page=page,
            outcome=outcome,
            outcome_label=column_labels()[outcome],
        ),
    )


# The registry (district supervisors and administrators) ----------------------------------


@login_required
@require_safe
def registry_companies(request):
    return _companies(request, REGISTRY, csv=False)


@login_required
@require_safe
def registry_companies_csv(request):
    return _companies(request, REGISTRY, csv=True)


@login_required
@require_safe
def registry_months(request, company_id):
    return _months(request, REGISTRY, company_id, csv=False)


@login_required
@require_safe
def registry_months_csv(request, company_id):
    return _months(request, REGISTRY, company_id, csv=True)


@login_required
@require_safe
def registry_cases(request, company_id):
    return _cases(request, REGISTRY, company_id)


# The portal (representatives) -------------------------------------------------------------


@login_required
@require_safe
def portal_companies(request):
    return _companies(request, PORTAL, csv=False)


@login_required
@require_safe
def portal_companies_csv(request):
    return _companies(request, PORTAL, csv=True)


@login_required
@require_safe
def portal_months(request, company_id):
    return _months(request, PORTAL, company_id, csv=False)


@login_required
@require_safe
def portal_months_csv(request, company_id):
    return _months(request, PORTAL, company_id, csv=True)


@login_required
@require_safe
def portal_cases(request, company_id):
    return _cases(request, PORTAL, company_id)
