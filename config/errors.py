"""Error pages that need nothing that may be down: no database, no templates' context."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def plain_page(title: str, text: str) -> str:
    return (
        f'<!doctype html><html lang="{escape(get_language() or "zh-hans")}"><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(text)}</p></html>"
    )


def server_error(request, *args, **kwargs):
    """handler500: 503 with Retry-After when the database is unavailable, else a plain 500."""
    exc = sys.exc_info()[1]
    # The database could not be reached (refused, timed out, the pool's wait over): not a bug.
    if isinstance(exc, OperationalError | InterfaceError):
        body = plain_page(
            _("Temporarily unavailable"),
            _("Anxin cannot reach its records right now. Please try again in a few minutes."),
        )
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
    else:
        body = plain_page(
            _("Something went wrong"),
            _("This page could not be shown. Please try again; if it keeps happening, call us."),
        )
        response = HttpResponse(body, status=500)
    response["Cache-Control"] = "no-store"
    return response
