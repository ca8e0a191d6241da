"""The only resources a rendered document may load: our own static files, the two document
fonts (mediation/documents/fonts.py) and data: URIs.

WeasyPrint's default fetcher would read file:///etc/passwd or call http://169.254.169.254/
if such a URL reached a template (STACK-NOTES.md). Templates escape user text, and this
fetcher refuses everything else anyway.
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

from mediation.documents.fonts import FONT_FILES, font_bytes

# Templates are rendered with this base URL, so `{% static %}` paths resolve onto it.
BASE_URL = "https://documents.anxin.invalid/"
_OWN_HOST = urlsplit(BASE_URL).netloc
# document.css asks for url("/fonts/<file>"): each font has exactly one URL, compared whole,
# so no spelling of another name or path (%2e%2e, ../, a query) reaches the package.
FONT_URLS = {f"{BASE_URL}fonts/{name}": name for name in FONT_FILES}


class RefusedURL(ValueError):
    """A document tried to load something that is not ours."""


class SafeURLFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if url in FONT_URLS:
            body = font_bytes(FONT_URLS[url])
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "font/otf"})
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.netloc == _OWN_HOST:
            return self._static(parts.path, url)
        raise RefusedURL(f"Documents may not load {url[:200]!r}")

    def _static(self, path: str, url: str) -> URLFetcherResponse:
        static_url = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
        if not path.startswith(static_url):
            raise RefusedURL(f"Documents may not load {url[:200]!r}")
        relative = PurePosixPath(unquote(path.removeprefix(static_url)))
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise RefusedURL(f"Documents may not load {url[:200]!r}")
        name = str(relative)
        # collected (hashed) names in production, the app directories when debugging
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as handle:
                body = handle.read()
        elif found := finders.find(name):
            with open(found, "rb") as handle:
                body = handle.read()
        else:
            raise RefusedURL(f"No static file {name}")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
