"""The workers' congress vote as the bureau's staff records it on its page: 半数以上 and
三分之二以上 include the number itself, the page says so in words, and numbers that cannot be
true are refused with a message that names them."""

import pytest
from django.urls import reverse

from mediation.contracts.choices import ContractState
from mediation.contracts.models import CollectiveContract, CongressVote
from tests.contracts.builders import TODAY, consulting_contract, make_contract_org

S = ContractState
pytestmark = pytest.mark.now(TODAY, hour=15)


@pytest.fixture
def co(db):
    return make_contract_org()


def post_vote(client, contract, members, attended, yes, no=0, abstain=0):
    return client.post(
        reverse("contracts:vote", args=[contract.pk]),
        {
            "held_at": "2026-06-15T14:00",
            "members": str(members),
            "attended": str(attended),
            "yes": str(yes),
            "no": str(no),
            "abstain": str(abstain),
            "expected_state": S.CONSULTING,
        },
        follow=True,
    )


def state_of(contract) -> str:
    return CollectiveContract.objects.get(pk=contract.pk).state


def test_the_vote_page_states_the_rule_with_half_and_two_thirds_included(co, client):
    contract = consulting_contract(co.keeper, co.org)
    client.force_login(co.keeper)
    page = client.get(reverse("contracts:vote", args=[contract.pk])).content.decode()
    assert "三分之二以上（含三分之二）" in page
    assert "半数以上（含半数" in page


def test_sixty_yes_of_a_hundred_and_twenty_members_approve_the_draft(co, client):
    contract = consulting_contract(co.keeper, co.org)
    client.force_login(co.keeper)
    page = post_vote(client, contract, 120, 80, 60, no=20).content.decode()
    assert state_of(contract) == S.CONGRESS_APPROVED, "60 of 120 is 半数以上"
    assert "职工代表大会已通过合同" in page
    assert CongressVote.objects.get().passed


def test_fifty_nine_yes_are_not_enough_and_the_page_says_how_many_are(co, client):
    contract = consulting_contract(co.keeper, co.org)
    client.force_login(co.keeper)
    page = post_vote(client, contract, 120, 120, 59, no=61).content.decode()
    assert state_of(contract) == S.CONSULTING
    assert "赞成票须达到全体 120 名成员的半数以上（含半数），即至少 60 票" in page


def test_eighty_of_a_hundred_and_twenty_attending_is_enough_seventy_nine_is_not(co, client):
    short = consulting_contract(co.keeper, co.org, title="出席不足")
    client.force_login(co.keeper)
    page = post_vote(client, short, 120, 79, 79).content.decode()
    assert state_of(short) == S.CONSULTING
    assert "三分之二以上（含三分之二），即至少 80 人" in page
    enough = consulting_contract(co.keeper, co.org, title="出席足够")
    post_vote(client, enough, 120, 80, 80)
    assert state_of(enough) == S.CONGRESS_APPROVED


@pytest.mark.parametrize(
    ("numbers", "field", "words"),
    [
        ((120, 80, 81), "yes", "81 人投赞成票，但出席的只有 80 人"),
        ((120, 121, 60), "attended", "只有 120 名成员"),
        ((120, -5, 60), "attended", "人数不能为负数"),
        ((120, 80, -1), "yes", "人数不能为负数"),
        ((-120, 80, 60), "members", "人数不能为负数"),
    ],
)
def test_absurd_numbers_are_refused_with_a_clear_message(co, client, numbers, field, words):
    contract = consulting_contract(co.keeper, co.org)
    client.force_login(co.keeper)
    response = post_vote(client, contract, *numbers)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert words in response.content.decode()
    assert not CongressVote.objects.exists()
    assert state_of(contract) == S.CONSULTING
