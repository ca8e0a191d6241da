"""Sign-in pages: workers with mobile number and one-time code, staff with a password."""

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from casework.organisation.forms import CodeForm, MobileForm, StaffSignInForm
from casework.organisation.ratelimit import ClientThrottled, client_ip
from casework.organisation.services.signin import (
    SignInRefused,
    otp_request,
    otp_sign_in,
    staff_sign_in,
)

SESSION_MOBILE = "anxin_signin_mobile"
SESSION_NEXT = "anxin_signin_next"


def _safe_next(request, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _add_refusal(form, error: Exception, default_field: str) -> int:
    """Show the refusal on the form; return the page's status (429 when throttled)."""
    if isinstance(error, SignInRefused):
        form.add_error(error.field or default_field, error.message)
    elif isinstance(error, ClientThrottled):
        form.add_error(default_field, error.message)
        return 429
    else:
        form.add_error(default_field, error)
    return 200


@require_http_methods(["GET", "HEAD", "POST"])
def worker_sign_in(request):
    """Step 1: the worker gives a mobile number and we text a code."""
    if nxt := _safe_next(request, request.GET.get("next")):
        request.session[SESSION_NEXT] = nxt
    form = MobileForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        try:
            otp_request(mobile=mobile, client_ip=client_ip(request))
        except (SignInRefused, ClientThrottled, ValidationError) as error:
            status = _add_refusal(form, error, "mobile")
        else:
            request.session[SESSION_MOBILE] = mobile
            return redirect("casework:worker_sign_in_code")
    return render(request, "casework/worker_sign_in.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def worker_sign_in_code(request):
    """Step 2: the worker types the code; "resend" asks for a new one."""
    mobile = request.session.get(SESSION_MOBILE)
    if not mobile:
        return redirect("casework:worker_sign_in")
    form = CodeForm(
        request.POST if request.method == "POST" and "resend" not in request.POST else None
    )
    resent, resend_error, status = False, None, 200
    if request.method == "POST" and "resend" in request.POST:
        try:
            otp_request(mobile=mobile, client_ip=client_ip(request))
            resent = True
        except (SignInRefused, ClientThrottled) as refusal:
            resend_error = refusal.message
            status = 429 if isinstance(refusal, ClientThrottled) else 200
    elif request.method == "POST" and form.is_valid():
        try:
            otp_sign_in(
                request=request,
                client_ip=client_ip(request),
                mobile=mobile,
                code=form.cleaned_data["code"],
            )
        except (SignInRefused, ClientThrottled, ValidationError) as error:
            status = _add_refusal(form, error, "code")
        else:
            nxt = request.session.pop(SESSION_NEXT, None)
            request.session.pop(SESSION_MOBILE, None)
            return HttpResponseRedirect(_safe_next(request, nxt) or reverse("casework:home"))
    masked = f"{mobile[:3]} **** {mobile[-4:]}"
    return render(
        request,
        "casework/worker_sign_in_code.html",
        {
            "form": form,
            "masked_mobile": masked,
            "resent": resent,
            "resend_error": resend_error,
            "valid_minutes": settings.ANXIN_OTP_VALID_MINUTES,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def staff_sign_in_view(request):
    form = StaffSignInForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            staff_sign_in(
                request=request,
                client_ip=client_ip(request),
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except (SignInRefused, ClientThrottled) as refusal:
            form.add_error(None, refusal.message)
            status = 429 if isinstance(refusal, ClientThrottled) else 200
        else:
            nxt = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
            return HttpResponseRedirect(nxt or reverse("casework:home"))
    return render(
        request,
        "casework/staff_sign_in.html",
        {"form": form, "next": _safe_next(request, request.GET.get("next")) or ""},
        status=status,
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
