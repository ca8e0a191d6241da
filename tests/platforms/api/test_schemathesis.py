"""Property-based tests from the API's own OpenAPI document (schemathesis): every operation
with generated input, and sequences that follow the document's links (list → read → respond,
evidence, timeline). No input may cause a 500, and every answer must match the document."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.openapi.checks import RejectedPositiveData

from platforms.api.api import api
from tests.platforms.api.conftest import file_case

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-04-13", hour=10)]

FAST = hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is a failure every time
    suppress_health_check=list(HealthCheck),
)


def _load_schema():
    """The document the API serves at /api/v1/openapi.json, called in process over WSGI."""
    document = json.loads(json.dumps(api.get_openapi_schema()))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()
CURRENT_TOKEN: dict[str, str] = {}


@schema.auth(refresh_interval=None)  # a new token each test: never cached
class BearerToken:
    """The test's token, sent as schemathesis's own auth (so that its check that a request
    without it is refused can leave it out)."""

    def get(self, case, context):
        return CURRENT_TOKEN.get("secret", "anx_none-yet")  # none while collecting

    def set(self, case, data, context):
        # identity: schemathesis calls the app in-process and does not undo the gzip that
        # answers its client's default Accept-Encoding (an HTTP client would).
        case.headers = {
            **(case.headers or {}),
            "Authorization": f"Bearer {data}",
            "Accept-Encoding": "identity",
        }


DOCUMENTED_REFUSALS = {"refused", "idempotency_key_reused", "invalid_file"}


@schema.hook
def filter_failure(context, failure, case, response):
    """Schema-valid input the API refuses on purpose, with its documented error:
    - an opaque cursor is any string to the document, but only ours are taken (400
      invalid_cursor);
    - the rules of an answer the document cannot say (an accepted amount needs a payment date
      not in the past, a plan's instalments in order) are refused naming the field (422
      refused; the case is then left as it was);
    - files are checked by their content, which no document says: random bytes are not a
      photo or a PDF (415 unsupported_file_type), a GIF header on random bytes is a damaged
      picture (422 invalid_file);
    - generated requests reuse Idempotency-Key values with other bodies, which the API refuses
      as a client's mistake (422 idempotency_key_reused).
    Every other failure stands, and no refusal excuses a 500."""
    if not isinstance(failure, RejectedPositiveData):
        return True
    body = response.json() if response.status_code in (400, 415, 422) else {}
    code = body.get("error", {}).get("code")
    return not (
        (response.status_code == 400 and code in ("invalid_cursor", "bad_request"))
        or (response.status_code == 422 and code in DOCUMENTED_REFUSALS)
        or (response.status_code == 415 and code == "unsupported_file_type")
    )


@pytest.fixture(autouse=True)
def world(org, token, settings):
    """Cases awaiting our response, no rate limit, and the test's transaction kept open."""
    settings.ANXIN_API_READS_PER_MINUTE = settings.ANXIN_API_WRITES_PER_MINUTE = 1_000_000
    CURRENT_TOKEN["secret"] = token
    for _ in range(3):
        file_case(org, org.platform)
    # The WSGI handler closes "old" connections at each request's start and end, which would
    # end the test's own transaction: Django's test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@FAST
def test_every_operation_keeps_to_the_document(case):
    case.call_and_validate()


def test_list_read_and_respond_follow_their_links():
    schema.as_state_machine().run(
        settings=hypothesis_settings(FAST, max_examples=15, stateful_step_count=4)
    )
