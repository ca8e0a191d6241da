"""A real HTTP receiver on 127.0.0.1 (a thread of the test process), a platform with an
operator and a rival platform, and helpers that run what waits for the commit."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model

from platforms.models import Representative
from tests.factories.cases import make_org, make_platform


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    port: int
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in turn; then 200

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def receiver():
    state = Receiver(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.requests.append(Received(self.path, dict(self.headers), body))
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"received " + str(status).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_private(settings):
    settings.ANXIN_WEBHOOKS_ALLOW_PRIVATE = True


@dataclass
class Chains:
    org: object
    rival: object  # another platform
    rival_rep: object
    operator_rep: object


@pytest.fixture
def chains():
    org = make_org()
    rival = make_platform("闪送急送平台")
    users = get_user_model().objects
    rival_rep = users.create_user(username="rival.rep", password="x" * 12)
    Representative.objects.create(user=rival_rep, company=rival)
    operator_rep = users.create_user(username="op.rep", password="x" * 12)
    Representative.objects.create(user=operator_rep, company=org.operator)
    return Chains(org=org, rival=rival, rival_rep=rival_rep, operator_rep=operator_rep)
