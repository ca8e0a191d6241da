"""Endpoints cannot turn the bureau's server on its own network (SSRF): refused when
registered, and again at delivery when the name points somewhere else by then."""

import socket

import pytest
from django.utils import timezone

from casework.core.errors import ActionRefused
from platforms.webhooks.addresses import check_url
from platforms.webhooks.choices import AttemptError, DeliveryStatus
from platforms.webhooks.models import Attempt
from platforms.webhooks.services import endpoint_ping
from tests.platforms.webhooks.helpers import register

REFUSED = [
    "https://10.0.0.5/hook",
    "https://172.16.3.4/hook",
    "https://192.168.1.1/hook",
    "https://127.0.0.1/hook",
    "https://127.1/hook",
    "https://2130706433/hook",  # 127.0.0.1 written as one number
    "https://0x7f000001/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/hook",  # shared address space (carrier NAT)
    "https://0.0.0.0/hook",
    "https://224.0.0.1/hook",
    "https://240.0.0.1/hook",
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[fe80::1]/hook",
    "https://[fc00::1]/hook",
    "https://[ff02::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://[64:ff9b::a00:1]/hook",  # NAT64 of 10.0.0.1
    "https://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
    "https://localhost/hook",
    "https://anxin.localhost/hook",
    "http://93.184.216.34/hook",  # plain HTTP
    "ftp://93.184.216.34/hook",
    "javascript:alert(1)",
    "https://user:pass@93.184.216.34/hook",
    "https://user@93.184.216.34/hook",
    "https://93.184.216.34:0/hook",
    "https://93.184.216.34:99999/hook",
    "https://93.184.216.34/hook#part",
    "https:///hook",
    "https://exa mple.com/hook",
    "https://例子.com/hook",
    "https://example.com/\x00hook",
    "https://-bad-.example.com/hook",
    "https://example.com/" + "a" * 600,
    "",
]


@pytest.mark.parametrize("url", REFUSED)
def test_private_odd_or_unsafe_addresses_are_refused_on_registration(url):
    with pytest.raises(ActionRefused) as refusal:
        check_url(url)
    assert refusal.value.field == "url" and refusal.value.message


@pytest.mark.parametrize(
    "url", ["https://93.184.216.34/hook", "https://[2606:4700::1111]/anxin?x=1"]
)
def test_public_https_addresses_are_accepted(url):
    assert check_url(url).scheme == "https"


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch):
    _resolve_as(monkeypatch, {"hooks.example.com": "10.1.2.3"})
    with pytest.raises(ActionRefused):
        check_url("https://hooks.example.com/anxin")


def test_private_addresses_are_allowed_only_when_the_setting_says_so(settings):
    with pytest.raises(ActionRefused):
        check_url("http://127.0.0.1:8123/hook")
    settings.ANXIN_WEBHOOKS_ALLOW_PRIVATE = True
    assert check_url("http://127.0.0.1:8123/hook").port == 8123
    with pytest.raises(ActionRefused):  # credentials stay refused
        check_url("http://a:b@127.0.0.1:8123/hook")


def _resolve_as(monkeypatch, table: dict[str, str]):
    """The machine's DNS answers `table` (a stand-in for a name server under attack)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in table:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.django_db
def test_a_name_rebound_to_a_private_address_is_refused_at_delivery(
    chains, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    """Public when registered, 127.0.0.1 (where a receiver listens) when delivered: nothing
    reaches the receiver and the log says why."""
    org = chains.org
    _resolve_as(monkeypatch, {"hooks.example.com": "93.184.216.34"})
    endpoint, _secret = register(
        org.representative, org.platform, f"https://hooks.example.com:{receiver.port}/hook"
    )
    _resolve_as(monkeypatch, {"hooks.example.com": "127.0.0.1"})
    with django_capture_on_commit_callbacks(execute=True):
        delivery = endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)
    assert receiver.requests == []
    attempt = Attempt.objects.get(delivery=delivery)
    assert attempt.error == AttemptError.ADDRESS_REFUSED and attempt.status_code is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.next_attempt_at > timezone.now()
