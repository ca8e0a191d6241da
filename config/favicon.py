"""/favicon.ico: browsers ask for it on every page whatever the markup says; answer with the
icon (kept for a year) instead of a 404 page."""

from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.http import require_safe

ICON = (Path(__file__).resolve().parent.parent / "static" / "img" / "favicon.ico").read_bytes()


@require_safe
def favicon(request):
    response = HttpResponse(ICON, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
