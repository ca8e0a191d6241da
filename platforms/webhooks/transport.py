"""One HTTP POST to a checked address: connects to the IP that was checked (Host header and
TLS server name stay the endpoint's name, and the certificate is verified against it), follows
no redirect, waits a few seconds at most and reads a few kilobytes of the answer at most."""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from platforms.webhooks.addresses import Target

CONNECT_TIMEOUT = 3.0  # seconds
READ_TIMEOUT = 5.0
TOTAL_TIMEOUT = 10.0  # for reading the answer
RESPONSE_READ_LIMIT = 4096  # bytes read of the answer; the log keeps the first 1,000 characters
USER_AGENT = "Anxin-Webhooks/1.0"


@dataclass
class Answer:
    status: int
    body: str
    duration_ms: int


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target):
        super().__init__(target.host, target.port, timeout=READ_TIMEOUT)
        self._ip = target.ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), timeout=CONNECT_TIMEOUT)
        self.sock.settimeout(READ_TIMEOUT)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, context: ssl.SSLContext):
        super().__init__(target.host, target.port, timeout=READ_TIMEOUT, context=context)
        self._ip = target.ip
        self._context = context

    def connect(self):
        raw = socket.create_connection((self._ip, self.port), timeout=CONNECT_TIMEOUT)
        raw.settimeout(READ_TIMEOUT)
        # The server name (SNI) and the certificate check are the endpoint's name, not the IP.
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def post(target: Target, *, body: bytes, headers: dict[str, str], ssl_context=None) -> Answer:
    """POST `body` to `target`. Raises OSError (refused, timed out, TLS) or
    http.client.HTTPException (not HTTP); a 3xx is an answer like any other (not followed)."""
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, ssl_context or ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(target)
    started = time.perf_counter()
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={**headers, "User-Agent": USER_AGENT, "Connection": "close"},
        )
        response = connection.getresponse()
        # A receiver that drips its answer is cut off: a few kilobytes, a few seconds.
        chunks, size = [], 0
        while size < RESPONSE_READ_LIMIT and time.perf_counter() - started < TOTAL_TIMEOUT:
            chunk = response.read1(RESPONSE_READ_LIMIT - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        text = b"".join(chunks).decode("utf-8", errors="replace")
        return Answer(
            status=response.status,
            body=text,
            duration_ms=round((time.perf_counter() - started) * 1000),
        )
    finally:
        connection.close()
