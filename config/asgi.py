"""ASGI entry point: HTTP through Django, WebSockets through Channels (routes added by apps)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (the consumers do).
django.setup(set_prefix=False)

from django.urls import reverse  # noqa: E402

from config.handler import OneHopASGIHandler  # noqa: E402
from config.static import StaticFiles  # noqa: E402

# One thread hop per request (config/handler.py); static files before Django (config/static.py).
django_asgi_app = OneHopASGIHandler()
# Import the URLconf (and with it every view module) and fill its reverse table now, in each
# worker as it starts, rather than in the first request it serves (a second or more here).
reverse("casework:landing")

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.edge import (  # noqa: E402
    BodyLimitMiddleware,
    HealthProbes,
    StrictOriginValidator,
)
from config.websocket_urls import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # /healthz and /readyz first, then static files; bodies larger than their route
        # allows are refused before Django reads them.
        "http": HealthProbes(StaticFiles(BodyLimitMiddleware(django_asgi_app))),
        # The origin must match scheme, host and port (channels' validator ignores the port).
        "websocket": StrictOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
