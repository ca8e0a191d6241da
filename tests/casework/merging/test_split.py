"""Splitting a complaint that holds two grievances against different employers."""

from decimal import Decimal

import pytest
from django.urls import reverse

from casework.cases.models import Case, CaseParty
from casework.intake.services import PartyInput
from casework.merging.models import CaseSplit
from platforms.choices import CompanyKind
from tests.factories.cases import make_case, make_org

pytestmark = pytest.mark.now("2026-04-20")


@pytest.fixture
def org(db):
    return make_org()


def test_staff_split_off_the_ban_against_the_operator(org, client):
    case = make_case(
        worker=org.worker,
        street=org.a.street,
        amount_claimed=Decimal("3000.00"),
        parties=[
            PartyInput(kind=CompanyKind.PLATFORM, company=org.platform),
            PartyInput(kind=CompanyKind.OPERATOR, company=org.operator),
        ],
    )
    operator = CaseParty.objects.get(case=case, company=org.operator)
    client.force_login(org.a.coordinator)
    url = reverse("casework:case_split", args=[case.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"parties": [p.pk for p in case.parties.all()], "category": "x"})
    assert bad.status_code == 200 and not CaseSplit.objects.exists(), "nothing changed"
    done = client.post(
        url,
        {
            "parties": [operator.pk],
            "category": "account_ban",
            "amount": "0",
            "description": "站点无故封禁账号。",
            "reason": "欠薪与封号是两项不同诉求。",
        },
    )
    new = CaseSplit.objects.get(original=case).new_case
    assert done.status_code == 302 and done["Location"] == f"/cases/{new.pk}/"
    assert list(new.parties.values_list("company", flat=True)) == [org.operator.pk]
    assert list(case.parties.values_list("company", flat=True)) == [org.platform.pk]
    assert (new.worker, new.category, new.state) == (org.worker, "account_ban", "submitted")
    assert Case.objects.get(pk=case.pk).amount_claimed == Decimal("3000.00")
    page = client.get(f"/cases/{new.pk}/").content.decode()
    assert case.reference in page, "the new case links back"
