"""The daily digests for supervisors and administrators: a list, a printable page per day to
hand to the city bureau, and its JSON export."""

import datetime as dt
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from casework.audit.digests import digest_as_dict, digest_get_for_user, digest_list_for_user
from casework.core.errors import NotFound
from casework.core.replica import replica_reads


@login_required
@require_safe
@replica_reads
def digest_list(request):
    try:
        digests = digest_list_for_user(user=request.user)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "casework/audit_digests.html", {"digests": digests})


def _digest(request, day: str):
    try:
        return digest_get_for_user(user=request.user, day=dt.date.fromisoformat(day))
    except (ValueError, NotFound) as exc:
        raise Http404 from exc


@login_required
@require_safe
@replica_reads
def digest_detail(request, day: str):
    digest = _digest(request, day)
    return render(
        request,
        "casework/audit_digest.html",
        {"digest": digest, "exported": json.dumps(digest_as_dict(digest), indent=2)},
    )


@login_required
@require_safe
@replica_reads
def digest_export(request, day: str):
    digest = _digest(request, day)
    response = HttpResponse(
        json.dumps(digest_as_dict(digest), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="anxin-audit-digest-{digest.day}.json"'
    return response
