"""`make run`'s demo: a platform's and an operator's representative each find complaints
awaiting their answer."""

import re

import pytest
from django.core.management import call_command

from casework.organisation.models import User
from platforms.portal.selectors import portal_case_list

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07", hour=10)]


def test_the_demo_representatives_have_complaints_awaiting_their_answer():
    call_command("seed_demo", "--force", "--quiet-logins")
    platform = portal_case_list(user=User.objects.get(username="suda.rep"), queue="awaiting")
    operator = portal_case_list(user=User.objects.get(username="binsheng.rep"), queue="awaiting")
    assert platform.count() == 2
    assert operator.count() == 1
    assert operator.get().pk in set(platform.values_list("pk", flat=True))


def test_the_demo_prints_an_api_token_once_and_it_reads_the_platforms_cases(client, capsys):
    call_command("seed_demo", "--force")
    first = capsys.readouterr().out
    token = re.search(r"\b(anx_\S+)", first).group(1)
    call_command("seed_demo", "--force")
    assert "anx_" not in capsys.readouterr().out
    answer = client.get("/api/v1/cases/", headers={"authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert len(answer.json()["items"]) == 2


@pytest.mark.now("2026-11-16", hour=10)
def test_the_demo_has_a_campaign_in_progress_and_a_red_risk_company(client):
    from django.urls import reverse

    from casework.governance.models import Campaign, ScreeningFinding
    from casework.management.commands.seed_demo import seed_demo
    from casework.organisation.models import User
    from platforms.risk.models import CompanyRisk

    seed_demo()
    seed_demo()  # idempotent
    campaign = Campaign.objects.get()
    assert campaign.screenings.count() == 3 and campaign.targets.count() == 5
    assert ScreeningFinding.objects.filter(complies=False, corrected_on__isnull=True).count() == 3
    red = CompanyRisk.objects.get(level="red")
    assert red.company.short_name == "速达外卖"
    client.force_login(User.objects.get(username="district.supervisor"))
    page = client.get(reverse("risk:list"), {"level": "red"}).content.decode()
    assert "杭州速达网络科技有限公司" in page
    progress = client.get(reverse("governance:campaign_detail", args=[campaign.pk]))
    assert "3 / 5 (60%)" in progress.content.decode()
    inbox = client.get(reverse("casework:inbox")).content.decode()
    assert "风险升为红色" in inbox
