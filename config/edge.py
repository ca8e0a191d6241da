"""What the ASGI application does before Django sees a request.

- `BodyLimitMiddleware`: a request body larger than its route allows is refused with 413
  before it is read (by Content-Length) or as soon as a streamed body passes the limit.
- `HealthProbes`: `/healthz` (the process runs) and `/readyz` (the database and Redis answer
  within a second), before host checks, HTTPS redirects and sessions.
- `StrictOriginValidator`: a WebSocket handshake is accepted only from an origin whose scheme,
  host and port match the site (channels' AllowedHostsOriginValidator ignores the port).
"""

import asyncio
import functools
import json
import logging
from urllib.parse import urlsplit

from asgiref.sync import sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from casework.core.uploads import body_limit_for
from config.errors import plain_page

logger = logging.getLogger(__name__)


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _language(scope) -> str:
    """The reader's language from the language cookie or Accept-Language, as Django would."""
    cookie = _header(scope, b"cookie") or ""
    for part in cookie.split(";"):
        name, _sep, value = part.strip().partition("=")
        if name == settings.LANGUAGE_COOKIE_NAME:
            try:
                return translation.get_supported_language_variant(value)
            except LookupError:
                break
    accept = _header(scope, b"accept-language") or ""
    for code, _quality in translation.trans_real.parse_accept_lang_header(accept):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def too_large_page(scope, limit: int) -> bytes:
    with translation.override(_language(scope)):
        return plain_page(
            _("Too large"),
            _("What you sent is larger than %(limit)s. Please send smaller or fewer files.")
            % {"limit": filesizeformat(limit)},
        ).encode()


def too_large_json(scope, limit: int) -> bytes:
    """The same refusal for the platform API, as its JSON error."""
    from platforms.api.errors import error_body

    with translation.override(_language(scope)):
        message = _(
            "What you sent is larger than %(limit)s. Please send smaller or fewer files."
        ) % {"limit": filesizeformat(limit)}
        return json.dumps(error_body("too_large", message), ensure_ascii=False).encode()


def route_body_limit(path: str) -> int:
    """The largest body the route at `path` accepts (small forms unless the view takes uploads)."""
    return _route_body_limit(path, get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=4096)
def _route_body_limit(path: str, urlconf) -> int:
    # Resolving walks the URL table (Django resolves again later): remembered per path, the
    # queue page's resolution here cost about 6 % of its CPU (py-spy, issue 19).
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return settings.ANXIN_MAX_FORM_BYTES
    return body_limit_for(match.func)


class _BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "/")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        limit = route_body_limit(path)
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                too_large = True
            if too_large:
                return await self._refuse(scope, send, limit)

        received = 0
        refused = False
        started = False

        async def limited_receive():
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Django stops reading at a disconnect and answers nothing: we answer 413.
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        async def watched_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, watched_send)
        if refused and not started:
            await self._refuse(scope, send, limit)

    async def _refuse(self, scope, send, limit: int):
        api = scope.get("path", "").startswith("/api/")
        body = too_large_json(scope, limit) if api else too_large_page(scope, limit)
        content_type = b"application/json" if api else b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                    (b"cache-control", b"no-store"),
                    (b"content-security-policy", b"default-src 'none'"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _origin(value: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) origin, the port made explicit."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    return (parts.scheme, parts.hostname.lower(), port)


def _socket_origin(scope) -> tuple[str, str, int] | None:
    """The origin the socket was opened on: its scheme, and the Host header's host and port."""
    host = _header(scope, b"host")
    if not host or not validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
        return None
    scheme = "https" if scope.get("scheme") in {"wss", "https"} else "http"
    return _origin(f"{scheme}://{host}")


class StrictOriginValidator:
    """Accept a WebSocket only from an allowed origin, port included.

    With DJANGO_CSRF_TRUSTED_ORIGINS set (production: https://anxin.example.gov.cn), the Origin
    must be one of them exactly. Without (development, tests), it must be the origin the socket
    was opened on, on an allowed host: a page on another port of the same machine is refused.
    """

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not self.valid(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)

    @staticmethod
    def valid(scope) -> bool:
        origin = _origin(_header(scope, b"origin") or "")
        if origin is None:
            return False
        if settings.CSRF_TRUSTED_ORIGINS:
            return origin in {_origin(o) for o in settings.CSRF_TRUSTED_ORIGINS}
        return origin == _socket_origin(scope)


async def _send_plain(send, status: int, body: bytes, content_type=b"text/plain; charset=utf-8"):
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _database_answers() -> None:
    from django.db import connections

    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()


async def _redis_answers() -> None:
    if not settings.REDIS_URL:
        return  # the in-memory channel layer: nothing to ask
    from redis.asyncio import Redis

    client = Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT
    )
    try:
        await client.ping()
    finally:
        await client.aclose()


PROBE_TIMEOUT = 1.0


async def readiness() -> dict[str, bool]:
    """Whether the database and Redis each answer within PROBE_TIMEOUT seconds."""

    async def answers(check) -> bool:
        try:
            await asyncio.wait_for(check(), PROBE_TIMEOUT)
        except Exception:
            return False
        return True

    database, redis = await asyncio.gather(
        answers(sync_to_async(_database_answers, thread_sensitive=False)), answers(_redis_answers)
    )
    return {"database": database, "redis": redis}


class HealthProbes:
    PATHS = {"/healthz", "/healthz/", "/readyz", "/readyz/"}

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if (
            scope["type"] != "http"
            or scope.get("path") not in self.PATHS
            or scope.get("method") not in {"GET", "HEAD"}
        ):
            return await self.app(scope, receive, send)
        if scope["path"].startswith("/healthz"):
            return await _send_plain(send, 200, b"ok\n")
        state = await readiness()
        down = [name for name, up in state.items() if not up]
        ready = not down
        _log_readiness(down)
        body = b"ready\n" if ready else ("not ready: " + ", ".join(down) + "\n").encode()
        return await _send_plain(send, 200 if ready else 503, body)


_last_not_ready: tuple[str, ...] = ()


def _log_readiness(down: list[str]) -> None:
    """Log when what is down changes, not at every probe."""
    global _last_not_ready
    if tuple(down) == _last_not_ready:
        return
    if down:
        logger.warning("Not ready: %s does not answer within %s s", ", ".join(down), PROBE_TIMEOUT)
    else:
        logger.warning("Ready again")
    _last_not_ready = tuple(down)
