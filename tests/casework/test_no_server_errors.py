"""Whatever a client posts to the sign-in and language endpoints, the answer is never a 500."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "casework:worker_sign_in": ["mobile", "next"],
    "casework:worker_sign_in_code": ["code", "resend"],
    "casework:staff_sign_in": ["username", "password", "next"],
    "casework:set_language": ["language", "next"],
}
text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=st.sampled_from(sorted(ENDPOINTS)),
    values=st.lists(text, min_size=3, max_size=3),
    with_mobile_in_session=st.booleans(),
)
def test_random_posts_never_fail_with_a_server_error(endpoint, values, with_mobile_in_session):
    client = Client(raise_request_exception=False)
    if with_mobile_in_session:
        session = client.session
        session["anxin_signin_mobile"] = "13800138009"
        session.save()
        client.cookies["sessionid"] = session.session_key
    data = dict(zip(ENDPOINTS[endpoint], values, strict=False))
    response = client.post(reverse(endpoint), data)
    assert response.status_code < 500, (endpoint, data)
