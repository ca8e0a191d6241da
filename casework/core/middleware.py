"""Refuse a request whose query string or form fields hold a NUL character, with a 400 page.

NUL is never typed by a person, and wherever it lands on PostgreSQL (a text or JSON column, a
lookup) the driver raises, so a 500. Forms refuse it too (casework.core.forms), with the other
control characters and a message by the field; this middleware covers the input no form reads
(`request.GET.get(...)`, posted id lists, keys) in one place. It runs as a view middleware, after
CSRF has read the body anyway, so it reads nothing earlier than Django would.
"""

from django.http import QueryDict
from django.shortcuts import render


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        refused = "\x00" in request.path or _has_nul(request.GET)
        if not refused and request.method == "POST":
            refused = _has_nul(request.POST) or any(
                "\x00" in (upload.name or "") for upload in request.FILES.values()
            )
        if refused:
            return render(request, "casework/bad_input.html", status=400)
        return None
