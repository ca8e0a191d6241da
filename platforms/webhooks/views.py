"""The webhooks pages of the platform portal: register endpoints, read the delivery log,
replay. A signing secret appears in one response only (no-store), never again."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casework.core.actions import perform
from casework.core.errors import NotFound
from platforms.webhooks import selectors, services
from platforms.webhooks.forms import EndpointForm


def _or_404(call):
    try:
        return call()
    except NotFound as exc:
        raise Http404 from exc


def _showing_secret(response):
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint_list(request):
    endpoints = _or_404(lambda: list(selectors.endpoint_list(user=request.user)))
    companies = selectors.endpoint_companies(user=request.user)
    form = EndpointForm(request.POST if request.method == "POST" else None, companies=companies)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        outcome = perform(
            request,
            lambda: services.endpoint_create(
                actor=request.user,
                company_id=form.cleaned_data["company"],
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            ),
            form=form,
        )
        if outcome:
            created, secret = outcome.result
            endpoints = list(selectors.endpoint_list(user=request.user))
            form = EndpointForm(companies=companies)
    context = {"endpoints": endpoints, "form": form, "created": created, "secret": secret}
    response = render(request, "platforms/webhooks/list.html", context)
    return _showing_secret(response) if secret else response


def _detail(request, endpoint_id, *, secret=None):
    endpoint = _or_404(lambda: selectors.endpoint_get(user=request.user, endpoint_id=endpoint_id))
    deliveries = selectors.delivery_list(user=request.user, endpoint=endpoint)
    page = Paginator(deliveries, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"endpoint": endpoint, "page": page, "secret": secret}
    response = render(request, "platforms/webhooks/detail.html", context)
    return _showing_secret(response) if secret else response


@login_required
@require_safe
def endpoint_detail(request, endpoint_id):
    return _detail(request, endpoint_id)


@login_required
@require_POST
def endpoint_rotate(request, endpoint_id):
    outcome = perform(
        request,
        lambda: services.endpoint_rotate_secret(actor=request.user, endpoint_id=endpoint_id),
        done=_("A new signing secret is made. The previous one still signs for 24 hours."),
    )
    return _detail(request, endpoint_id, secret=outcome.result[1] if outcome else None)


@login_required
@require_POST
def endpoint_active(request, endpoint_id):
    active = request.POST.get("active") == "1"
    perform(
        request,
        lambda: services.endpoint_set_active(
            actor=request.user, endpoint_id=endpoint_id, active=active
        ),
        done=_("The endpoint is on.") if active else _("The endpoint is off: nothing is sent."),
    )
    return redirect("webhooks:detail", endpoint_id)


@login_required
@require_POST
def endpoint_delete(request, endpoint_id):
    outcome = perform(
        request,
        lambda: services.endpoint_delete(actor=request.user, endpoint_id=endpoint_id),
        done=_("The endpoint and its delivery log are deleted."),
    )
    return redirect("webhooks:list") if outcome else redirect("webhooks:detail", endpoint_id)


@login_required
@require_POST
def endpoint_ping(request, endpoint_id):
    perform(
        request,
        lambda: services.endpoint_ping(actor=request.user, endpoint_id=endpoint_id),
        done=_("A test event is sent: see the delivery log below."),
    )
    return redirect("webhooks:detail", endpoint_id)


@login_required
@require_POST
def delivery_replay(request, endpoint_id, delivery_id):
    perform(
        request,
        lambda: services.delivery_replay(
            actor=request.user, endpoint_id=endpoint_id, delivery_id=delivery_id
        ),
        done=_("The delivery is sent again: see its attempts below."),
    )
    return redirect("webhooks:detail", endpoint_id)
