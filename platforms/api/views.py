"""The portal's pages for API tokens (a representative makes, sees and revokes their own),
and the JSON 404 for addresses under /api/ that do not exist."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.core.actions import perform
from casework.core.errors import NotFound
from platforms.api import selectors, services
from platforms.api.errors import error_response, status_error
from platforms.api.forms import TokenForm
from platforms.chain import represented_company_ids


def api_not_found(request, *args, **kwargs):
    return error_response(status_error(404))


def _representative_or_404(user) -> None:
    try:
        represented_company_ids(user)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request):
    _representative_or_404(request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    secret = None
    if request.method == "POST" and form.is_valid():
        outcome = perform(
            request,
            lambda: services.token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                valid_days=form.cleaned_data["valid_days"],
            ),
            form=form,
        )
        if outcome:
            secret = outcome.result[1]
            form = TokenForm()
    response = render(
        request,
        "platforms/api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": selectors.token_list_for_user(user=request.user),
            "now": timezone.now(),
        },
    )
    # The secret is on this page once: never kept by a cache or the browser's history.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, token_id):
    _representative_or_404(request.user)
    perform(
        request,
        lambda: services.token_revoke(actor=request.user, token_id=token_id),
        done=_("The token is revoked: requests with it are refused from now on."),
    )
    return redirect("api_tokens:list")
