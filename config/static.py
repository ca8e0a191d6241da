"""Static files, answered before Django's middleware (ASGI).

ServeStatic's Django middleware is async-only: in the middle of a synchronous chain
(config/handler.py) Django would wrap everything below it in a thread hop again. This layer
uses the same ServeStatic object, built from the same settings (collected, hashed and
pre-compressed files from the manifest in production; the finders when debugging or testing),
and answers a static path in the event loop: gzip or brotli as the browser accepts, and
`Cache-Control: max-age=315360000, public, immutable` for hashed names. Static files get the
headers Django's SecurityMiddleware would have given them.
"""

from django.conf import settings
from servestatic.asgi import FileServerASGI
from servestatic.middleware import ServeStaticMiddleware
from servestatic.utils import decode_path_info, run_async_in_thread


async def _not_static(request):  # ServeStaticMiddleware insists on an async next step
    raise AssertionError("config.static answers static paths before Django")


class StaticFiles:
    def __init__(self, app):
        self.app = app
        self.files = ServeStaticMiddleware(_not_static)
        self.prefix = self.files.static_prefix
        headers = [(b"x-content-type-options", b"nosniff")]
        if settings.SECURE_REFERRER_POLICY:
            headers.append((b"referrer-policy", settings.SECURE_REFERRER_POLICY.encode()))
        self.extra_headers = headers

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            return await self.app(scope, receive, send)
        path = decode_path_info(scope["path"])
        if self.files.autorefresh:
            static_file = await run_async_in_thread(self.files.find_file, path)
        else:
            static_file = self.files.files.get(path)
        if static_file is None:
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message["headers"], *self.extra_headers]}
            await send(message)

        return await FileServerASGI(static_file)(scope, receive, send_with_headers)
