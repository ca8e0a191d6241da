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
