"""Every error under /api/ is JSON with a stable code, in the reader's language; rate limits."""

import pytest

from tests.platforms.api.conftest import ApiClient, file_case

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-04-13", hour=10)]


def _error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()["error"]


def test_errors_are_in_chinese_by_default_and_in_english_when_asked(org, token):
    zh = _error(ApiClient(token).get("cases/999999/"), 404)
    en = _error(ApiClient(token, language="en").get("cases/999999/"), 404)
    assert zh["code"] == en["code"] == "not_found"
    assert "案件" in zh["message"] and "case" in en["message"]


def test_unknown_addresses_and_methods_answer_json(org, token):
    api = ApiClient(token, language="en")
    assert _error(api.get("nowhere/"), 404)["code"] == "not_found"
    assert _error(ApiClient().get("/api/v2/cases/"), 404)["code"] == "not_found"
    response = api.delete("/api/v1/cases/")
    assert _error(response, 405)["code"] == "method_not_allowed"


def test_invalid_query_values_name_their_field(org, api):
    error = _error(api.get("cases/", {"state": "bogus", "updated_since": "yesterday"}), 422)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"state", "updated_since"}
    assert all(error["fields"].values())
    assert _error(api.get("cases/", {"updated_since": "0001-01-01T00:00:00Z"}), 422)["fields"]


def test_a_nul_character_answers_json_400(org, api):
    error = _error(api.get("cases/", {"cursor": "a\x00b"}), 400)
    assert error["code"] == "bad_request"


def test_reads_past_the_limit_answer_429_with_retry_after(org, api, settings):
    settings.ANXIN_API_READS_PER_MINUTE = 3
    file_case(org, org.platform)
    for _ in range(3):
        assert api.get("cases/").status_code == 200
    response = api.get("cases/")
    error = _error(response, 429)
    assert error["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 61


def test_the_limit_is_per_token(org, api, rival_api, settings):
    settings.ANXIN_API_READS_PER_MINUTE = 1
    assert api.get("cases/").status_code == 200
    assert api.get("cases/").status_code == 429
    assert rival_api.get("cases/").status_code == 200


def test_openapi_is_3_1_and_public_and_links_list_read_respond(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    links = schema["paths"]["/api/v1/cases/"]["get"]["responses"]["200"]["links"]
    assert links["GetCase"]["operationId"] == "getCase"
    case_links = schema["paths"]["/api/v1/cases/{case_id}/"]["get"]["responses"]["200"]["links"]
    assert {"SubmitResponse", "AddEvidence", "GetTimeline"} <= set(case_links)


def test_the_docs_page_loads_nothing_from_outside(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-bundle.js" in html
    for attribute in ('src="http', 'src="//', 'href="http', 'href="//'):
        assert attribute not in html
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_head_answers_like_get_without_a_body(org, api):
    response = api.head("/api/v1/cases/")
    assert response.status_code == 200 and response.content == b""
