"""Tokens: made on the portal and shown once, kept hashed, refused once revoked or expired."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from platforms.api.models import ApiToken
from platforms.api.services import token_create
from tests.clock import frozen_now
from tests.platforms.api.conftest import ApiClient, file_case

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-04-13", hour=10)]


def test_a_representative_makes_a_token_sees_it_once_and_it_works(client, org):
    client.force_login(org.representative)
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("api_tokens:list") in home
    page = client.post(reverse("api_tokens:list"), {"name": "客服系统", "valid_days": "30"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    secret = page.context["secret"]
    assert secret.startswith("anx_") and secret in page.content.decode()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))
    assert all("token_hash" not in row for row in token.history.values())
    assert (token.expires_at - timezone.now()).days in (29, 30)
    again = client.get(reverse("api_tokens:list")).content.decode()
    assert secret not in again and token.prefix in again
    case = file_case(org, org.platform)
    assert ApiClient(secret).get(f"cases/{case.pk}/").status_code == 200


def test_a_token_lives_at_most_a_year(client, org):
    client.force_login(org.representative)
    page = client.post(reverse("api_tokens:list"), {"name": "ERP", "valid_days": "3650"})
    assert not ApiToken.objects.exists()
    assert "365" in page.content.decode()


def test_workers_and_staff_have_no_token_pages(client, org):
    for user in (org.worker, org.a.coordinator, org.supervisor):
        client.force_login(user)
        assert client.get(reverse("api_tokens:list")).status_code == 404
        assert (
            client.post(reverse("api_tokens:list"), {"name": "x", "valid_days": 5}).status_code
            == 404
        )
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused_at_once(client, org, token, api):
    assert api.get("cases/").status_code == 200
    client.force_login(org.representative)
    stored = ApiToken.objects.get()
    client.post(reverse("api_tokens:revoke", args=[stored.pk]))
    response = api.get("cases/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_revoked"
    assert "撤销" in response.json()["error"]["message"]


def test_another_representative_cannot_revoke_my_token(client, org, token, rival):
    stored = ApiToken.objects.get()
    client.force_login(rival.representative)
    assert client.post(reverse("api_tokens:revoke", args=[stored.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_an_expired_token_is_refused(org):
    _token, secret = token_create(actor=org.representative, name="ERP", valid_days=1)
    api = ApiClient(secret, language="en")
    assert api.get("cases/").status_code == 200
    with frozen_now(timezone.now() + timedelta(days=1, minutes=1)):
        response = api.get("cases/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"
    assert "expired" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "header", ["", "Bearer ", "Bearer anx_forged", "Basic dXNlcjpwdw==", "Bearer x"]
)
def test_no_or_a_forged_token_is_refused(org, header):
    api = ApiClient()
    response = api.get("cases/", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"unauthenticated", "token_invalid"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_last_use_is_written_at_most_once_a_minute(org, token, api, django_assert_num_queries):
    api.get("cases/")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    api.get("cases/")
    assert ApiToken.objects.get().last_used_at == first
    with frozen_now(timezone.now() + timedelta(minutes=2)):
        api.get("cases/")
    assert ApiToken.objects.get().last_used_at > first


def test_an_empty_form_says_what_is_missing(client, org):
    client.force_login(org.representative)
    page = client.post(reverse("api_tokens:list"), {})
    assert page.status_code == 200 and page.context["form"].errors
    assert not ApiToken.objects.exists()
