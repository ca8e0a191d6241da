"""Compressed responses: HTML in brotli when the browser accepts it, else gzip.

BREACH: an attacker who can put text into a page (a search box echoed back) and watch the
compressed size of the answer can guess a secret on the same page byte by byte. Two defences,
as Django's GZipMiddleware has them:

- secrets change on every response: Django masks the CSRF token anew each time it is
  rendered, so there is nothing stable to guess;
- the compressed length is blurred: gzip with Django's random padding (up to 100 bytes in
  the gzip header's file name, `compress_string(max_random_bytes=...)`); brotli has no header
  field to pad, so an HTML comment of 0 to 100 random characters follows `</html>` before
  compression. Random characters do not compress, so the answer's length moves by a random
  amount at every request, as with gzip.

Only HTML gets brotli (a comment can be added invisibly); JSON, CSS or JavaScript answered by
views get gzip with its padding. Static files are compressed in advance and answered before
Django (config/static.py).
"""

import re
import secrets
import string

import brotli
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

MIN_BYTES = 200  # shorter answers are not worth it (Django's GZipMiddleware's limit too)
MAX_RANDOM_BYTES = 100
# Quality 5: about 90 % of the best ratio at a small fraction of quality 11's CPU (tens of
# microseconds for a 30 KB page here).
BROTLI_QUALITY = 5
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")
_ALPHABET = string.ascii_letters + string.digits
_accepts_gzip = re.compile(r"\bgzip\b")
_accepts_brotli = re.compile(r"\bbr\b")


def _padding_comment() -> bytes:
    length = secrets.randbelow(MAX_RANDOM_BYTES + 1)
    return ("<!-- " + "".join(secrets.choice(_ALPHABET) for _ in range(length)) + " -->").encode()


def compress_response(request, response):
    if response.streaming or response.has_header("Content-Encoding"):
        return response
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(COMPRESSIBLE) or len(response.content) < MIN_BYTES:
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if content_type.startswith("text/html") and _accepts_brotli.search(accepted):
        compressed = brotli.compress(
            response.content + _padding_comment(),
            mode=brotli.MODE_TEXT,
            quality=BROTLI_QUALITY,
        )
        encoding = "br"
    elif _accepts_gzip.search(accepted):
        compressed = compress_string(response.content, max_random_bytes=MAX_RANDOM_BYTES)
        encoding = "gzip"
    else:
        return response
    if len(compressed) >= len(response.content):
        return response
    response.content = compressed
    response.headers["Content-Length"] = str(len(compressed))
    response.headers["Content-Encoding"] = encoding
    etag = response.get("ETag")
    if etag and etag.startswith('"'):  # the bytes differ from the uncompressed answer's
        response.headers["ETag"] = "W/" + etag
    return response


class CompressionMiddleware:
    """Synchronous, like the rest of the chain (config/handler.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return compress_response(request, self.get_response(request))
