"""The notification inbox: list, mark read, and the catch-up feed for reconnecting pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casework.core.bounds import parse_id
from casework.core.errors import NotFound
from casework.notifications.rendering import (
    notification_link,
    notification_target,
    openable_case_pages,
)
from casework.notifications.rendering import render as render_text
from casework.notifications.selectors import (
    notification_get_for_user,
    notification_list_for_user,
    unread_count,
)
from casework.notifications.services import notification_mark_all_read, notification_mark_read


@login_required
@require_safe
def inbox(request):
    rows = notification_list_for_user(user=request.user, limit=100)
    openable = openable_case_pages(request.user, (row.case_id for row in rows))
    return render(
        request,
        "casework/inbox.html",
        {
            "rows": [
                (row, render_text(row), notification_link(row, request.user, openable))
                for row in rows
            ]
        },
    )


@login_required
@require_safe
def since(request):
    """Notifications after `after` (an id), for a page that reconnects after a drop."""
    after = parse_id(request.GET.get("after", "0")) or 0
    rows = notification_list_for_user(user=request.user, after=after, limit=50)
    openable = openable_case_pages(request.user, (row.case_id for row in rows))
    return JsonResponse(
        {
            "unread": unread_count(user=request.user),
            "notifications": [
                {
                    "id": row.pk,
                    "kind": row.kind,
                    "case": row.case_id,
                    "text": render_text(row),
                    "url": notification_link(row, request.user, openable),
                    "read": row.read_at is not None,
                }
                for row in reversed(rows)
            ],
        }
    )


def _back(request):
    nxt = request.POST.get("next") or reverse("casework:inbox")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = reverse("casework:inbox")
    return HttpResponseRedirect(nxt)


@login_required
@require_POST
def mark_read(request, notification_id: int):
    try:
        notification_mark_read(actor=request.user, notification_id=notification_id)
    except NotFound as exc:
        raise Http404 from exc
    return _back(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def open_notification(request, notification_id: int):
    """Follow a notification: mark it read and go to its page. The page is computed here for
    this reader (never taken from the request), so the link cannot send anyone elsewhere; a
    notification of someone else answers 404; one whose page its reader cannot open leads to
    the inbox. Marking one's own notification read is the only change, repeating it changes
    nothing, and a request another site makes (an image, a link there) changes nothing at all:
    the browser says where it came from (Sec-Fetch-Site; "none" is a link from a text
    message or a bookmark)."""
    try:
        notification = notification_get_for_user(user=request.user, notification_id=notification_id)
        origin = request.headers.get("Sec-Fetch-Site", "same-origin")
        if request.method != "HEAD" and origin in ("same-origin", "none"):
            notification_mark_read(actor=request.user, notification_id=notification.pk)
    except NotFound as exc:
        raise Http404 from exc
    target = notification_target(notification, request.user) or reverse("casework:inbox")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def mark_all_read(request):
    notification_mark_all_read(actor=request.user)
    return _back(request)
