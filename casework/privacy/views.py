"""The "show" button: staff working on a case see one of the worker's fields in full, once,
and the reveal is logged."""

from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from casework.core.actions import perform
from casework.privacy.selectors import remember_reveal
from casework.privacy.services import REVEALABLE, clean_page, personal_data_reveal


@login_required
@require_POST
def reveal(request, case_id: int, field: str):
    if field not in REVEALABLE:
        raise Http404
    # The page the button was on: the form says it; else the Referer's path.
    page = request.POST.get("page") or urlsplit(request.headers.get("Referer", "")).path
    outcome = perform(
        request,
        lambda: personal_data_reveal(
            actor=request.user, case_id=case_id, field=field, page=clean_page(page)
        ),
    )
    if outcome.ok:
        remember_reveal(request.session, case_id, field)
    return HttpResponseRedirect(reverse("casework:case_detail", args=[case_id]) + "#worker-data")
