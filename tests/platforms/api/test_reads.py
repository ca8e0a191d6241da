"""Reading cases through the API: only one's own company's, masked as on the portal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.cases.choices import CaseState
from casework.cases.services.handling import case_add_note
from tests.platforms.api.conftest import file_case

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-04-13", hour=10)]


def test_the_list_shows_the_cases_awaiting_our_response_and_never_a_rivals(
    api, rival_api, org, rival
):
    ours = file_case(org, org.platform)
    operators = file_case(org, org.operator)
    verifying = file_case(org, org.platform, state=CaseState.VERIFYING)
    theirs = file_case(org, rival.platform)
    body = api.get("cases/").json()
    references = {item["reference"] for item in body["items"]}
    assert references == {ours.reference, operators.reference}
    assert verifying.reference not in references and theirs.reference not in references
    assert body["next_cursor"] is None
    assert {item["reference"] for item in rival_api.get("cases/").json()["items"]} == {
        theirs.reference
    }
    for path in (f"cases/{ours.pk}/", f"cases/{ours.pk}/timeline/"):
        response = rival_api.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert ours.reference not in response.content.decode()


def test_an_operators_token_sees_only_the_operators_cases(org):
    from django.contrib.auth import get_user_model

    from platforms.api.services import token_create
    from platforms.models import Representative
    from tests.platforms.api.conftest import ApiClient

    on_platform = file_case(org, org.platform)
    on_operator = file_case(org, org.operator)
    user = get_user_model().objects.create_user(username="op.rep", password="x" * 12)
    Representative.objects.create(user=user, company=org.operator)
    client = ApiClient(token_create(actor=user, name="site")[1])
    assert [item["id"] for item in client.get("cases/").json()["items"]] == [on_operator.pk]
    assert client.get(f"cases/{on_platform.pk}/").status_code == 404


def test_every_field_is_masked_as_on_the_portal(api, org):
    case = file_case(
        org,
        org.platform,
        description="站长扣款，我的电话 13912345678，身份证 110105199001011232，请联系。",
    )
    case_add_note(
        actor=org.supervisor, case_id=case.pk, body="内部：疑似代理商问题", is_public=False
    )
    raw = "".join(
        api.get(path).content.decode()
        for path in ("cases/", f"cases/{case.pk}/", f"cases/{case.pk}/timeline/")
    )
    mobile = org.worker.mobile
    assert "张**" in raw and "张小明" not in raw
    assert f"{mobile[:3]}****{mobile[-4:]}" in raw and mobile not in raw
    assert "139****5678" in raw and "13912345678" not in raw
    assert "110105********1232" in raw and "110105199001011232" not in raw
    assert "内部：疑似代理商问题" not in raw
    detail = api.get(f"cases/{case.pk}/").json()
    assert detail["worker_name"] == "张**"
    assert detail["amount_claimed"] == "3000.00"
    assert detail["response_due_on"] is not None


def test_filter_by_state_and_by_updated_since(api, org):
    awaiting = file_case(org, org.platform)
    verifying = file_case(org, org.platform, state=CaseState.VERIFYING)
    body = api.get("cases/", {"state": "verifying"}).json()
    assert [item["id"] for item in body["items"]] == [verifying.pk]
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    assert api.get("cases/", {"updated_since": later}).json()["items"] == []
    earlier = (timezone.now() - timedelta(hours=1)).isoformat()
    assert [i["id"] for i in api.get("cases/", {"updated_since": earlier}).json()["items"]] == [
        awaiting.pk
    ]


def test_the_cursor_walks_every_case_once(api, org):
    cases = [file_case(org, org.platform) for _ in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = api.get("cases/", params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [case.pk for case in reversed(cases)]


def test_a_forged_cursor_or_limit_is_refused_with_a_reason(api, org):
    response = api.get("cases/", {"cursor": "eyJpZCI6IDF9"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"
    response = api.get("cases/", {"limit": 1000})
    assert response.status_code == 422
    assert "limit" in response.json()["error"]["fields"]


def test_the_timeline_holds_the_public_steps_only(api, org):
    case = file_case(org, org.platform)
    events = api.get(f"cases/{case.pk}/timeline/").json()["events"]
    assert events and all(set(event) == {"kind", "headline", "at"} for event in events)
    assert (
        "+08:00" in events[0]["at"] or events[0]["at"].endswith("Z") or "+00:00" in events[0]["at"]
    )


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_costs_the_same_queries_for_1_and_50_cases(
    api, org, count, django_assert_num_queries
):
    for _ in range(count):
        file_case(org, org.platform)
    api.get("cases/")  # the token's last use is stamped once a minute: not in the count
    # the token, the company chain, the cases, their parties, the parties' companies
    with django_assert_num_queries(5):
        body = api.get("cases/", {"limit": 100}).json()
    assert len(body["items"]) == count
