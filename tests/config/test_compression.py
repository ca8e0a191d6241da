"""Issue 19: compressed HTML (brotli or gzip, padded against BREACH), static files compressed in
advance with immutable caching for hashed names, sessions read from the cache, and the ASGI
handler that runs a request in one thread hop."""

import asyncio
import gzip
import re

import brotli
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.asgi import application
from config.static import StaticFiles
from tests.factories.organisation import make_staff

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def landing(client, encoding):
    return client.get(reverse("casework:landing"), HTTP_ACCEPT_ENCODING=encoding)


@pytest.mark.django_db
def test_html_comes_in_brotli_when_the_browser_accepts_it(client):
    plain = landing(client, "")
    response = landing(client, "gzip, deflate, br, zstd")
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    html = brotli.decompress(response.content)
    assert int(response["Content-Length"]) == len(response.content) < len(html) / 2
    page, _sep, padding = html.rpartition(b"</html>")
    # The page, then a comment of 0 to 100 random characters (BREACH: config/compression.py).
    assert re.fullmatch(rb"\s*<!-- [A-Za-z0-9]{0,100} -->", padding)
    assert CSRF.sub(b"", page) == CSRF.sub(b"", plain.content.rpartition(b"</html>")[0])


@pytest.mark.django_db
def test_html_comes_in_gzip_with_random_padding_otherwise(client):
    response = landing(client, "gzip, deflate")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"</html>" in gzip.decompress(response.content)
    # Django's padding: a random file name in the gzip header, so the length varies.
    lengths = {len(landing(client, "gzip").content) for _ in range(8)}
    assert len(lengths) > 1


@pytest.mark.django_db
def test_without_accept_encoding_the_page_is_plain_and_says_it_varies(client):
    response = landing(client, "")
    assert not response.has_header("Content-Encoding")
    assert "Accept-Encoding" in response["Vary"]
    assert response.content.rstrip().endswith(b"</html>")


@pytest.mark.django_db
def test_csrf_tokens_stay_masked_per_response(client):
    tokens = [CSRF.search(brotli.decompress(landing(client, "br").content)) for _ in range(2)]
    assert tokens[0] and tokens[1] and tokens[0].group(1) != tokens[1].group(1)


@pytest.mark.django_db
def test_a_signed_in_page_reads_its_session_from_the_cache(client, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(make_staff())
    client.get(reverse("casework:queue"))  # the session is in the cache from here on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("casework:queue")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]


def asgi_get(app, path, headers=()):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(asyncio.wait_for(app(scope, receive, send), 30))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body


@pytest.mark.django_db(transaction=True)
def test_the_asgi_application_answers_a_page_compressed_in_one_hop():
    status, headers, body = asgi_get(
        application, reverse("casework:landing"), [(b"accept-encoding", b"br")]
    )
    assert status == 200
    assert headers["content-encoding"] == "br"
    assert b"</html>" in brotli.decompress(body)


def test_hashed_static_files_are_precompressed_and_immutable(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.SERVESTATIC_USE_FINDERS = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "servestatic.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.templatetags.static import static

    hashed = static("css/anxin.css")
    assert re.search(r"anxin\.[0-9a-f]{12}\.css$", hashed)
    assert (tmp_path / hashed.removeprefix("/static/")).with_suffix(".css.br").exists()

    async def not_static(scope, receive, send):
        raise AssertionError(scope["path"])

    files = StaticFiles(not_static)
    status, headers, body = asgi_get(files, hashed, [(b"accept-encoding", b"gzip, br")])
    assert status == 200
    assert headers["cache-control"] == "max-age=315360000, public, immutable"
    assert headers["content-encoding"] == "br"
    assert "Accept-Encoding" in headers["vary"]
    assert headers["x-content-type-options"] == "nosniff"
    assert b".site-header" in brotli.decompress(body)

    status, headers, _body = asgi_get(files, "/static/css/anxin.css")
    assert status == 200 and "immutable" not in headers["cache-control"]


@pytest.mark.django_db
def test_the_worker_intake_page_is_compressed(client):
    from tests.factories.organisation import make_worker

    client.force_login(make_worker())
    path = reverse("casework:intake_step", args=[1])
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    html = brotli.decompress(response.content)
    assert b'name="csrfmiddlewaretoken"' in html
    assert len(response.content) < len(html) / 2
