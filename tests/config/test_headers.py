"""Every HTML page: a Content-Security-Policy that runs no inline script, a Permissions-Policy,
and no inline script or on*= handler that such a policy would block."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.config.routes import routes
from tests.factories.cases import make_case, make_org

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would refuse to run."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action"} and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:...>")
        data_block = attributes.get("type") in {"application/json", "application/ld+json"}
        self._in_script = tag == "script" and not attributes.get("src") and not data_block

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")

    def handle_endtag(self, tag):
        self._in_script = False


def check_page(path, response, problems):
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    policy = response.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        name, _sep, values = part.strip().partition(" ")
        directives[name] = values
    scripts = directives.get("script-src", directives.get("default-src", ""))
    if not scripts or "'unsafe-inline'" in scripts or "*" in scripts.split():
        problems.append((path, "script-src", policy))
    if not response.get("Permissions-Policy"):
        problems.append((path, "Permissions-Policy missing"))
    parser = InlineCode()
    parser.feed(response.content.decode())
    problems.extend((path, found) for found in parser.found)


@pytest.fixture
def org():
    return make_org()


@pytest.mark.now("2026-10-12")
def test_every_html_page_has_a_policy_that_runs_no_inline_script(org):
    case = make_case(worker=org.worker, street=org.a.street)
    admin = type(org.worker).objects.create_superuser("root", "root@example.org", "pw-1234567")
    visitors = {
        "anonymous": None,
        "worker": org.worker,
        "coordinator": org.a.coordinator,
        "admin": admin,
    }
    problems, pages = [], 0
    for user in visitors.values():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for path in [*routes(), f"/cases/{case.pk}/", "/no-such-page/"]:
            response = client.get(path)
            pages += response.get("Content-Type", "").startswith("text/html")
            check_page(path, response, problems)
    assert pages > 40
    assert not problems
