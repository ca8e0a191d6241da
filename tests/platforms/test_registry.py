"""The employer registry, as a district supervisor keeps it, and the invitation a new
platform representative receives."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from casework.core.roles import Role
from platforms.models import Company, Invitation, Representative
from platforms.registry.services import invitation_accept
from tests.concurrency import run_together
from tests.factories.cases import make_org
from tests.factories.organisation import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07", hour=10)]

VALID = "91330100716105852F"
COMPANY = {
    "name": "城西众包服务有限公司",
    "short_name": "",
    "kind": "agency",
    "industry": "food_delivery",
    "credit_code": "9133 0100 7161 0585 2f",
    "legal_representative": "王立",
    "parent": "",
    "response_working_days": "3",
}


@pytest.fixture
def org():
    return make_org()


def _page(response) -> str:
    return response.content.decode()


def test_a_district_supervisor_registers_a_company_with_its_credit_code(client, org):
    client.force_login(org.supervisor)
    response = client.post(reverse("platforms:company_new"), {**COMPANY, "parent": org.platform.pk})
    company = Company.objects.get(name=COMPANY["name"])
    assert response.status_code == 302
    assert company.credit_code == VALID  # spaces gone, capitals
    assert company.parent == org.platform and company.legal_representative == "王立"
    assert company.history.get().history_user == org.supervisor
    listing = _page(client.get(reverse("platforms:company_list"), {"q": VALID}))
    assert COMPANY["name"] in listing and org.operator.name not in listing


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("91330100716105852G", "校验不通过"),  # wrong check character
        ("9133010071610585", "18 位数字"),  # too short
        ("9133010071610585IF", "18 位数字"),  # I, O, Z, S, V are not in the standard's alphabet
        ("9133010071610585OF", "18 位数字"),
        ("9133010071610585SF", "18 位数字"),
        ("9133010071610585VF", "18 位数字"),
        ("9133010071610585ZF", "18 位数字"),
    ],
)
def test_a_wrong_credit_code_is_refused_in_words_and_nothing_is_saved(client, org, code, words):
    client.force_login(org.supervisor)
    response = client.post(reverse("platforms:company_new"), {**COMPANY, "credit_code": code})
    assert response.status_code == 200 and words in _page(response)
    assert not Company.objects.filter(name=COMPANY["name"]).exists()


def test_a_credit_code_already_registered_is_refused_naming_the_holder(client, org):
    org.platform.credit_code = VALID
    org.platform.save()
    client.force_login(org.supervisor)
    response = client.post(reverse("platforms:company_new"), COMPANY)
    assert "已使用此统一社会信用代码登记" in _page(response) and org.platform.name in _page(
        response
    )
    assert Company.objects.filter(credit_code=VALID).count() == 1


def test_a_chain_cannot_loop_and_a_platform_contracts_for_nobody(client, org):
    client.force_login(org.supervisor)
    edit = reverse("platforms:company_edit", args=[org.platform.pk])
    looped = {**COMPANY, "name": org.platform.name, "kind": "operator", "credit_code": ""}
    response = client.post(edit, {**looped, "parent": org.operator.pk})
    assert "不能为自己或其下级企业承包" in _page(response)
    response = client.post(edit, {**looped, "kind": "platform", "parent": org.operator.pk})
    assert "平台企业位于链条顶端" in _page(response)
    org.platform.refresh_from_db()
    assert org.platform.parent is None and org.platform.kind == "platform"


def test_the_registry_is_the_district_supervisors_alone(client, org):
    street_supervisor = make_staff(role=Role.SUPERVISOR, team=org.a.coordinators)
    urls = [
        reverse("platforms:company_list"),
        reverse("platforms:company_new"),
        reverse("platforms:company_detail", args=[org.platform.pk]),
        reverse("platforms:company_edit", args=[org.platform.pk]),
    ]
    for user in (org.a.coordinator, street_supervisor, org.representative, org.worker):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(urls[1], COMPANY).status_code == 404
    assert not Company.objects.filter(name=COMPANY["name"]).exists()


def _invite(client, org, sms_outbox) -> str:
    client.force_login(org.supervisor)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("platforms:company_detail", args=[org.operator.pk]),
            {"name": "李经理", "mobile": "139 0013 9000"},
        )
    assert response.status_code == 200
    (text,) = [m for m in sms_outbox if m.to == "13900139000"]
    link = re.search(r"https?://\S+/platform/join/[\w-]+/", text.body).group(0)
    assert link in _page(response)  # shown once to the supervisor too
    client.logout()
    return link.split("testserver", 1)[1]


def test_an_invited_representative_sets_a_password_and_signs_in(client, org, sms_outbox):
    path = _invite(client, org, sms_outbox)
    page = _page(client.get(path))
    assert "李经理" in page and org.operator.name in page
    response = client.post(
        path,
        {"username": "li.manager", "password1": "Anxin-2026-rep", "password2": "Anxin-2026-rep"},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="li.manager")
    assert Representative.objects.filter(user=user, company=org.operator).exists()
    home = _page(client.get(reverse("casework:home")))
    assert org.operator.name in home and reverse("casework:queue") not in home
    # the link works once
    client.logout()
    assert client.get(path).status_code == 404
    # and the new representative signs in like staff, with the same lockout
    signed = client.post(
        reverse("casework:staff_sign_in"), {"username": "li.manager", "password": "Anxin-2026-rep"}
    )
    assert signed.status_code == 302


def test_a_weak_password_is_refused_and_creates_nothing(client, org, sms_outbox):
    path = _invite(client, org, sms_outbox)
    response = client.post(path, {"username": "li", "password1": "123", "password2": "123"})
    assert response.status_code == 200 and "密码" in _page(response)
    assert not get_user_model().objects.filter(username="li").exists()
    assert Invitation.objects.get().accepted_at is None


def test_expired_and_withdrawn_invitations_lead_nowhere(client, org, sms_outbox):
    path = _invite(client, org, sms_outbox)
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(path).status_code == 404
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    client.force_login(org.supervisor)
    client.post(reverse("platforms:invitation_revoke", args=[invitation.pk]))
    client.logout()
    assert client.get(path).status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_one_link_opened_twice_at_once_makes_one_account(client, org, sms_outbox):
    token = _invite(client, org, sms_outbox).rstrip("/").rsplit("/", 1)[1]
    results = run_together(
        [
            lambda: invitation_accept(token=token, username="first", password="Anxin-2026-rep"),
            lambda: invitation_accept(token=token, username="second", password="Anxin-2026-rep"),
        ]
    )
    assert sorted(ok for ok, _ in results) == [False, True]
    assert Representative.objects.filter(company=org.operator).count() == 1
