"""The address printed in documents' QR codes, where the public verification page lives.

In production it is ANXIN_PUBLIC_URL (`manage.py check --deploy` fails without it: a QR code
pointing at the developer's machine is useless on paper). In development it is the address
the request that asked for the document came to, so a QR code scanned from a phone on the
same network reaches the machine that printed it. The rendering task runs outside the
request: the address is stored on the document when it is requested.
"""

from contextvars import ContextVar

from django.conf import settings

# for documents asked for outside any request (a management command, a test)
FALLBACK = "http://localhost:8000"
_request_base: ContextVar[str | None] = ContextVar("anxin_request_base", default=None)


def public_base_url() -> str:
    if settings.ANXIN_PUBLIC_URL:
        return settings.ANXIN_PUBLIC_URL
    return _request_base.get() or FALLBACK


class RequestBaseURLMiddleware:
    """Remembers the scheme and host of the current request (already checked against
    ALLOWED_HOSTS by get_host) for documents requested while it runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ANXIN_PUBLIC_URL:
            return self.get_response(request)
        try:
            base = f"{request.scheme}://{request.get_host()}"
        except Exception:  # a disallowed host: CommonMiddleware answers it with 400
            base = None
        token = _request_base.set(base)
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
