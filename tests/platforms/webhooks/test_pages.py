"""The webhooks pages as a representative uses them: register, read the secret once, read the
log, replay; another company's endpoints answer 404; bad input gets words, never a 500."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platforms.webhooks.choices import EventType
from platforms.webhooks.models import Endpoint
from platforms.webhooks.services import endpoint_ping
from tests.platforms.webhooks.helpers import register

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07T10:00+08:00")]

LIST = reverse("webhooks:list")


def _form(company, url, events=(EventType.CASE_NAMED, EventType.RESPONSE_REQUESTED), **extra):
    return {"company": company.pk, "url": url, "events": list(events), **extra}


def test_a_representative_registers_an_endpoint_and_sees_its_secret_once(
    client, chains, allow_private, receiver
):
    org = chains.org
    client.force_login(org.representative)
    response = client.post(LIST, _form(org.platform, receiver.url(), description="订单系统"))
    page = response.content.decode()
    endpoint = Endpoint.objects.get()
    assert response.status_code == 200 and endpoint.secret in page
    assert "no-store" in response["Cache-Control"]
    assert endpoint.events == [EventType.CASE_NAMED, EventType.RESPONSE_REQUESTED]
    for again in (LIST, reverse("webhooks:detail", args=[endpoint.pk])):
        assert endpoint.secret not in client.get(again).content.decode()
    history = endpoint.history.values()
    assert all("secret" not in row for row in history)
    assert endpoint.secret not in str(list(history))
    # a new one on request, shown once, and the old one is not shown
    rotated = client.post(reverse("webhooks:rotate", args=[endpoint.pk])).content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret in rotated and endpoint.previous_secret not in rotated


def test_the_portal_leads_to_the_webhooks(client, chains):
    client.force_login(chains.org.representative)
    assert LIST in client.get(reverse("portal:home")).content.decode()


def test_another_companys_endpoints_answer_404_on_every_page(
    client, chains, allow_private, receiver
):
    org = chains.org
    theirs, _ = register(chains.rival_rep, chains.rival, receiver.url())
    delivery = endpoint_ping(actor=chains.rival_rep, endpoint_id=theirs.pk)
    mine, _ = register(org.representative, org.platform, receiver.url("/mine"))
    for user in (org.representative, chains.operator_rep):
        client.force_login(user)
        assert theirs.url not in client.get(LIST).content.decode()
        assert client.get(reverse("webhooks:detail", args=[theirs.pk])).status_code == 404
        for name in ("rotate", "active", "delete", "ping"):
            url = reverse(f"webhooks:{name}", args=[theirs.pk])
            assert client.post(url, {"active": "0"}).status_code == 404, name
        replay = reverse("webhooks:replay", args=[theirs.pk, delivery.pk])
        assert client.post(replay).status_code == 404
        # their delivery through my endpoint's address
        replay = reverse("webhooks:replay", args=[mine.pk, delivery.pk])
        assert client.post(replay).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active and Endpoint.objects.filter(pk=theirs.pk).exists()
    assert theirs.deliveries.get().attempts == 0


def test_an_operator_sees_not_its_platforms_endpoints_but_the_platform_sees_its_operators(
    client, chains, allow_private, receiver
):
    org = chains.org
    platform_hook, _ = register(org.representative, org.platform, receiver.url("/p"))
    operator_hook, _ = register(chains.operator_rep, org.operator, receiver.url("/o"))
    client.force_login(chains.operator_rep)
    page = client.get(LIST).content.decode()
    assert operator_hook.url in page and platform_hook.url not in page
    assert client.get(reverse("webhooks:detail", args=[platform_hook.pk])).status_code == 404
    client.force_login(org.representative)
    assert client.get(reverse("webhooks:detail", args=[operator_hook.pk])).status_code == 200


def test_people_who_represent_no_company_have_no_webhooks_pages(client, chains):
    org = chains.org
    for user in (org.worker, org.a.coordinator, org.supervisor):
        client.force_login(user)
        assert client.get(LIST).status_code == 404
        assert client.post(LIST, _form(org.platform, "https://93.184.216.34/")).status_code == 404
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"url": "https://93.184.216.34/\x1bhook"},
        {"url": "https://93.184.216.34/\u202ehook"},
        {"url": "https://10.0.0.1/hook"},
        {"url": "http://127.0.0.1:9/hook"},
        {"url": "https://" + "a" * 5000 + ".com/"},
        {"url": "javascript:alert(document.cookie)"},
        {"url": "https://user:pw@93.184.216.34/"},
        {"url": ""},
        {"description": "订单\x07系统"},
        {"description": "x" * 5000},
        {"events": []},
        {"events": ["case.everything"]},
        {"company": "99999999999999999999999"},
        {"company": "abc"},
    ],
)
def test_bad_input_is_refused_in_words_and_registers_nothing(client, chains, changes):
    org = chains.org
    client.force_login(org.representative)
    data = _form(org.platform, "https://93.184.216.34/hook", description="订单系统")
    data.update(changes)
    response = client.post(LIST, data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Endpoint.objects.exists()


def test_a_double_click_on_send_a_test_sends_one(client, chains, allow_private, receiver):
    org = chains.org
    endpoint, _ = register(org.representative, org.platform, receiver.url())
    client.force_login(org.representative)
    ping = reverse("webhooks:ping", args=[endpoint.pk])
    client.post(ping)
    page = client.post(ping, follow=True).content.decode()
    assert "刚刚发送过测试" in page
    assert endpoint.deliveries.count() == 1


def test_a_nul_character_is_refused_before_the_form(client, chains):
    org = chains.org
    client.force_login(org.representative)
    response = client.post(LIST, _form(org.platform, "https://93.184.216.34/\x00hook"))
    assert response.status_code == 400 and not Endpoint.objects.exists()


def test_a_company_one_does_not_represent_cannot_be_chosen(client, chains):
    org = chains.org
    client.force_login(org.representative)
    response = client.post(LIST, _form(chains.rival, "https://93.184.216.34/hook"))
    assert response.status_code == 200 and not Endpoint.objects.exists()


def test_the_same_address_twice_is_refused(client, chains):
    org = chains.org
    client.force_login(org.representative)
    client.post(LIST, _form(org.platform, "https://93.184.216.34/hook"))
    response = client.post(LIST, _form(org.platform, "https://93.184.216.34/hook"))
    assert "已登记" in response.content.decode()
    assert Endpoint.objects.count() == 1


def test_switch_off_and_on_replay_and_delete_from_the_page(
    client, chains, allow_private, receiver, django_capture_on_commit_callbacks
):
    org = chains.org
    endpoint, _ = register(org.representative, org.platform, receiver.url())
    client.force_login(org.representative)
    detail = reverse("webhooks:detail", args=[endpoint.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:ping", args=[endpoint.pk]))
    delivery = endpoint.deliveries.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:replay", args=[endpoint.pk, delivery.pk]))
    assert len(receiver.requests) == 2
    page = client.get(detail).content.decode()
    assert "200" in page and "received 200" in page
    client.post(reverse("webhooks:active", args=[endpoint.pk]), {"active": "0"})
    again = client.post(reverse("webhooks:active", args=[endpoint.pk]), {"active": "0"})
    assert again.status_code == 302  # told "already off", nothing changed
    client.post(reverse("webhooks:replay", args=[endpoint.pk, delivery.pk]))
    assert len(receiver.requests) == 2
    assert client.post(reverse("webhooks:delete", args=[endpoint.pk])).status_code == 302
    assert not Endpoint.objects.exists()
    assert client.get(detail).status_code == 404


def test_the_delivery_log_costs_the_same_queries_for_1_and_25_deliveries(
    client, chains, allow_private, receiver, django_capture_on_commit_callbacks, now_is
):
    org = chains.org
    endpoint, _ = register(org.representative, org.platform, receiver.url())
    client.force_login(org.representative)
    detail = reverse("webhooks:detail", args=[endpoint.pk])
    counts = []
    for pings in (1, 24):
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(pings):
                now_is.shift(timedelta(seconds=11))  # one test every ten seconds at most
                endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)
        client.get(detail)  # what changed in between (people, notifications) is read once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail).status_code == 200
        counts.append(len(queries))
    assert endpoint.deliveries.count() == 25
    assert counts[0] == counts[1], counts


def test_the_endpoint_list_costs_the_same_queries_for_1_and_10_endpoints(client, chains):
    org = chains.org
    client.force_login(org.representative)
    counts = []
    for total in (1, 10):
        while Endpoint.objects.count() < total:
            number = Endpoint.objects.count()
            register(org.representative, org.platform, f"https://93.184.216.{number + 1}/hook")
        client.get(LIST)  # what changed in between (people, notifications) is read once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_an_eleventh_endpoint_is_refused(client, chains):
    org = chains.org
    for number in range(10):
        register(org.representative, org.platform, f"https://93.184.216.{number + 1}/hook")
    client.force_login(org.representative)
    page = client.post(LIST, _form(org.platform, "https://93.184.216.99/hook")).content.decode()
    assert "最多登记 10 个" in page and Endpoint.objects.count() == 10
