"""The sample receiver of the README verifies what Anxin signs, and nothing else."""

import time

import pytest

from platforms.webhooks.signing import new_secret, signature_header
from tests.platforms.webhooks.helpers import sample_verifier

BODY = '{"id":"evt_1","type":"case.named","data":{"case":{"reference":"BJ-2026-000001"}}}'


@pytest.fixture
def verify():
    return sample_verifier()


def test_a_fresh_signature_of_the_body_passes(verify):
    secret = new_secret()
    header = signature_header([secret], int(time.time()), BODY)
    assert secret.startswith("whsec_")
    assert verify(secret, BODY.encode(), header)


def test_a_tampered_body_or_another_secret_fails(verify):
    secret = new_secret()
    header = signature_header([secret], int(time.time()), BODY)
    assert not verify(secret, BODY.replace("000001", "000002").encode(), header)
    assert not verify(new_secret(), BODY.encode(), header)
    assert not verify(secret, BODY.encode(), header.replace("t=", "t=1"))


def test_a_signature_older_than_five_minutes_is_refused_as_a_replay(verify):
    secret = new_secret()
    now = int(time.time())
    assert verify(secret, BODY.encode(), signature_header([secret], now - 290, BODY))
    assert not verify(secret, BODY.encode(), signature_header([secret], now - 301, BODY))
    assert not verify(secret, BODY.encode(), signature_header([secret], now + 301, BODY))


def test_garbage_headers_are_refused_without_an_error(verify):
    for header in ("", "t=", "v1=abc", "t=abc,v1=abc", "t=1,t=2,v1=x", "nonsense"):
        assert not verify("whsec_x", BODY.encode(), header)


def test_after_a_rotation_either_secret_verifies(verify):
    old, new = new_secret(), new_secret()
    header = signature_header([new, old], int(time.time()), BODY)
    assert header.count("v1=") == 2
    assert verify(new, BODY.encode(), header) and verify(old, BODY.encode(), header)
