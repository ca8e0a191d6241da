"""WebSocket routes. The notifications consumer (issue 5) registers here."""

websocket_urlpatterns: list = []
