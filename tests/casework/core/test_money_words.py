"""Amounts read the same in both languages and on every page: ¥3,260.00 (the sign, thousands
separators, two decimals). Django's zh-Hans formats do not group digits and its English ones
do, so one page said 3260.00 and the next ¥3,260.00."""

from decimal import Decimal

import pytest
from django.urls import reverse

from casework.core.money import yuan, yuan_digits
from tests.factories.cases import make_case, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07T10:00+08:00")]


def test_the_format():
    assert yuan(Decimal("3260")) == "¥3,260.00"
    assert yuan("1234567.5") == "¥1,234,567.50"
    assert yuan(Decimal("-3")) == "-¥3.00"
    assert yuan(None) == "" and yuan_digits(Decimal("3260.5")) == "3,260.50"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_show_amounts_as_money_in_either_language(client, language):
    org = make_org()
    case = make_case(
        worker=org.worker,
        street=org.a.street,
        platform=org.platform,
        amount_claimed=Decimal("3260.00"),
    )
    pages = [
        (org.supervisor, reverse("casework:case_detail", args=[case.pk])),
        (org.supervisor, reverse("arrears:employers")),
        (org.supervisor, reverse("arrears:employer_detail", args=[case.employer_id])),
        (org.worker, reverse("casework:case_detail", args=[case.pk])),
    ]
    for user, url in pages:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "¥3,260.00" in page, f"{url} in {language} does not show ¥3,260.00"
        assert "3260.00" not in page and "3260,00" not in page, url
