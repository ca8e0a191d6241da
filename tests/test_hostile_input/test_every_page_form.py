"""Every POST form any page shows, to any kind of user, submitted with hostile values.

The walk opens every page (each URL pattern, with the actor's own objects in the path) as each
kind of user, reads the POST forms in its HTML, and submits each distinct form (by where it
goes and what it holds) as the first user who saw it: empty, as shown, twice as shown (a
replay), and with each field in turn replaced by what its kind of field invites (numbers beyond
64 bits, NaN, Infinity, 1e12, three decimals, negative; year 0, 9999-12-31, 2026-02-30; control
characters, 100 000 characters; forged choices and ids), and once with a 10 MB field.

Nothing answers 500; a refusal (4xx, the form again with its errors, a redirect with an error
message) writes no row. New forms are covered the day their page shows them.
"""

import pytest
from django.test import Client

from tests.test_foreign_ids.walk import SKIPPED_PREFIXES, url_patterns, variants
from tests.test_foreign_ids.world import World
from tests.test_hostile_input.page_forms import hostile_values, post_forms
from tests.test_hostile_input.values import encode, refused, row_counts

pytestmark = [pytest.mark.now("2026-04-13", hour=10), pytest.mark.django_db]

FORM_ENCODED = "application/x-www-form-urlencoded"
# Written by a refusal on purpose: the sign-in lockout counts wrong passwords; sessions.
REFUSAL_MAY_WRITE = {"casework_signinlock", "django_session"}
NOT_SUBMITTED = ("/sign-out/", "/language/", "/i18n/")


def _html(response) -> str | None:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode("utf-8", "replace")


def collect_forms(world) -> list:
    """(role, actor, form) for each distinct POST form, as the first actor who saw it."""
    patterns = [route for route, _p in url_patterns() if not route.startswith(SKIPPED_PREFIXES)]
    seen = {}
    for role, actor in world.actors.items():
        if actor is None:
            continue
        client = Client(raise_request_exception=False)
        client.force_login(actor)
        ids = {**world.foreign_ids(), **world.own_ids(actor)}
        for route in patterns:
            if route.endswith(("sign-out/", "read-all/")):
                continue
            for path in variants(route, ids)[0]:
                html = _html(client.get(path))
                for form in post_forms(path, html) if html else []:
                    if not form.action.startswith(NOT_SUBMITTED):
                        seen.setdefault(form.key(), (role, actor, form))
    return list(seen.values())


def submissions(form):
    base = form.data()
    yield "empty", {}
    yield "as shown", base
    yield "replayed", base
    for name, kind, value in form.fields:
        for bad in hostile_values(kind, value):
            yield f"{name}={bad[:24]!r}", {**base, name: [bad]}
    text = [name for name, kind, _v in form.fields if kind in {"text", "textarea"}]
    if text:
        yield f"{text[0]}=10 MB", {**base, text[0]: ["长" * (10 * 1024 * 1024 // 3)]}


def test_every_form_on_every_page_refuses_hostile_values_without_a_500_or_a_write():
    world = World()
    found = collect_forms(world)
    assert len(found) >= 40, f"only {len(found)} forms found on the pages"
    problems, requests = [], 0
    for role, actor, form in found:
        client = Client(raise_request_exception=False)
        for label, data in submissions(form):
            if "_auth_user_id" not in client.session:
                client.force_login(actor)
            pairs = [(key, v) for key, values in data.items() for v in values]
            before = row_counts()
            response = client.post(form.action, encode(pairs), content_type=FORM_ENCODED)
            requests += 1
            where = f"{role} POST {form.action} {label}"
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
            elif label not in {"as shown", "replayed"} and refused(response, "post"):
                after = row_counts()
                changed = [t for t in after if after[t] != before[t] and t not in REFUSAL_MAY_WRITE]
                if changed:
                    problems.append(f"{where}: refused but wrote {changed}")
    print(f"\nevery page form: {len(found)} forms, {requests} posts")
    assert not problems, "\n".join(problems)
