"""Supervisors' page for the tokens upstream systems post work orders with."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.channels.forms import TokenForm
from casework.channels.selectors import tokens_for_user
from casework.channels.tokens import token_units, upstream_token_create, upstream_token_revoke
from casework.core.actions import perform


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    units = token_units(request.user)
    if not units.exists():
        raise Http404
    posted = request.method == "POST"
    form = TokenForm(request.POST if posted else None, units=units)
    secret = None
    if posted and form.is_valid():
        done = perform(
            request,
            lambda: upstream_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                channel=form.cleaned_data["channel"],
                unit=form.cleaned_data["unit"],
            ),
            form=form,
        )
        if done:
            secret = done.result[1]
            form = TokenForm(units=units)
    return render(
        request,
        "channels/tokens.html",
        {"form": form, "tokens": list(tokens_for_user(user=request.user)[:200]), "secret": secret},
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    perform(
        request,
        lambda: upstream_token_revoke(actor=request.user, token_id=token_id),
        done=_("Revoked: the token no longer works."),
    )
    return redirect("channels:tokens")
