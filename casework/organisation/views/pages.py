"""Landing, home and language pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from casework.core.roles import STAFF_ROLES, Role
from casework.organisation.forms import LanguageForm
from casework.organisation.selectors import (
    membership_list_for_user,
    representation_list_for_user,
    user_roles,
)
from casework.organisation.services.accounts import user_set_language


@require_safe
def landing(request):
    return render(request, "casework/landing.html")


@login_required
@require_safe
def home(request):
    """Workers land on their cases; staff on their teams."""
    roles = user_roles(user=request.user)
    if Role.WORKER in roles:
        return redirect("casework:my_cases")
    return render(
        request,
        "casework/staff_home.html",
        {
            "memberships": membership_list_for_user(user=request.user),
            "roles": sorted(roles, key=lambda role: list(Role).index(role)),
            "works_cases": bool(roles & STAFF_ROLES) or Role.ADMIN in roles,
            "represents": representation_list_for_user(user=request.user),
        },
    )


@require_POST
def set_language(request):
    """Switch the page language; a signed-in user's choice is remembered on their account."""
    form = LanguageForm(request.POST)
    nxt = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    if not form.is_valid():
        # Never redirect(): it would resolve a `next` such as "home" as a view name.
        return HttpResponseRedirect(nxt)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_set_language(actor=request.user, language=language)
    response = HttpResponseRedirect(nxt)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
