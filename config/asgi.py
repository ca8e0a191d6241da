"""ASGI entry point: HTTP through Django, WebSockets through Channels (routes added by apps)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (the consumers do).
django_asgi_app = get_asgi_application()

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
        # /healthz and /readyz first; bodies larger than their route allows are refused
        # before Django reads them.
        "http": HealthProbes(BodyLimitMiddleware(django_asgi_app)),
        # The origin must match scheme, host and port (channels' validator ignores the port).
        "websocket": StrictOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
