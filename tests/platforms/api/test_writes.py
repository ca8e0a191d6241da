"""Answering through the API: a response, evidence, and Idempotency-Key replays."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from casework.cases.choices import CaseState
from casework.cases.models import Case, Evidence
from platforms.models import EmployerResponse
from tests.concurrency import run_together
from tests.platforms.api.conftest import ApiClient, file_case

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-04-13", hour=10)]

ACCEPT = {"kind": "accept", "amount": "2800.00", "pay_by": "2026-04-30"}


def _png(name="工资条.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_accepting_moves_the_case_and_says_so(api, org):
    case = file_case(org, org.platform)
    response = api.post_json(f"cases/{case.pk}/responses/", ACCEPT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "accept" and body["amount"] == "2800.00" and body["late"] is False
    assert body["pay_by"] == "2026-04-30" and body["responded_at"].endswith("+08:00")
    stored = EmployerResponse.objects.get()
    assert stored.channel == "api" and stored.responded_by == org.representative
    assert Case.objects.get(pk=case.pk).state == CaseState.VERIFYING


def test_a_replay_returns_the_first_answer_and_records_nothing_more(api, org):
    case = file_case(org, org.platform)
    first = api.post_json(f"cases/{case.pk}/responses/", ACCEPT, key="order-77")
    again = api.post_json(f"cases/{case.pk}/responses/", ACCEPT, key="order-77")
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert EmployerResponse.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(api, org):
    case = file_case(org, org.platform)
    api.post_json(f"cases/{case.pk}/responses/", ACCEPT, key="k")
    response = api.post_json(
        f"cases/{case.pk}/responses/", {"kind": "dispute", "reasons": "不属实"}, key="k"
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert EmployerResponse.objects.count() == 1


def test_a_second_answer_with_a_new_key_is_told_the_case_was_answered(api, org):
    case = file_case(org, org.platform)
    api.post_json(f"cases/{case.pk}/responses/", ACCEPT, key="a")
    response = api.post_json(f"cases/{case.pk}/responses/", ACCEPT, key="b")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "case_changed"
    assert EmployerResponse.objects.count() == 1


def test_a_refusal_names_the_field_and_changes_nothing(api, org):
    case = file_case(org, org.platform)
    cases = [
        ({"kind": "accept", "pay_by": "2026-04-30"}, 422, "amount"),
        ({"kind": "accept", "amount": "-5", "pay_by": "2026-04-30"}, 422, "amount"),
        ({"kind": "accept", "amount": "5", "pay_by": "9999-01-01"}, 422, "pay_by"),
        ({"kind": "dispute", "reasons": "a\x00b"}, 422, "reasons"),
        ({"kind": "plan", "instalments": [{"due_on": "2026-05-01", "amount": "10"}]}, 422, None),
        ({"kind": "maybe"}, 422, "kind"),
    ]
    for n, (payload, status, field) in enumerate(cases):
        response = api.post_json(f"cases/{case.pk}/responses/", payload, key=f"k{n}")
        assert response.status_code == status, (payload, response.content)
        error = response.json()["error"]
        assert error["message"]
        if field:
            assert field in error["fields"], (payload, error)
    assert not EmployerResponse.objects.exists()
    assert Case.objects.get(pk=case.pk).state == CaseState.AWAITING_RESPONSE


def test_a_post_without_idempotency_key_json_or_with_a_bad_body_is_refused(api, org):
    case = file_case(org, org.platform)
    path = f"cases/{case.pk}/responses/"
    missing = api.post_json(path, ACCEPT, key=None)
    assert missing.status_code == 422 and "Idempotency-Key" in missing.json()["error"]["fields"]
    form = api.post(api.url(path), ACCEPT, headers={"Idempotency-Key": "f"})
    assert form.status_code == 415
    assert form.json()["error"]["code"] == "unsupported_media_type"
    broken = api.post(
        api.url(path),
        "{not json",
        content_type="application/json",
        headers={"Idempotency-Key": "j"},
    )
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid_json"
    assert not EmployerResponse.objects.exists()


def test_another_platforms_case_answers_404_and_is_not_answered(rival_api, org):
    case = file_case(org, org.platform)
    response = rival_api.post_json(f"cases/{case.pk}/responses/", ACCEPT)
    assert response.status_code == 404
    upload = rival_api.post(
        rival_api.url(f"cases/{case.pk}/evidence/"),
        {"files": [_png()]},
        headers={"Idempotency-Key": "e"},
    )
    assert upload.status_code == 404
    assert not EmployerResponse.objects.exists() and not Evidence.objects.exists()


def test_evidence_is_checked_like_the_workers(api, org, settings):
    case = file_case(org, org.platform)
    path = api.url(f"cases/{case.pk}/evidence/")
    added = api.post(path, {"files": [_png()]}, headers={"Idempotency-Key": "e1"})
    assert added.status_code == 201, added.content
    assert [item["name"] for item in added.json()["files"]] == ["工资条.png"]
    replay = api.post(path, {"files": [_png()]}, headers={"Idempotency-Key": "e1"})
    assert replay.json() == added.json() and Evidence.objects.count() == 1
    fake = SimpleUploadedFile("a.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    response = api.post(path, {"files": [fake]}, headers={"Idempotency-Key": "e2"})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_file_type"
    settings.ANXIN_EVIDENCE_MAX_BYTES = 10
    response = api.post(path, {"files": [_png()]}, headers={"Idempotency-Key": "e3"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "file_too_large"
    as_json = api.post_json(f"cases/{case.pk}/evidence/", {"files": []}, key="e4")
    assert as_json.status_code == 415
    assert Evidence.objects.count() == 1


def test_writes_past_the_limit_answer_429(api, org, settings):
    settings.ANXIN_API_WRITES_PER_MINUTE = 1
    case = file_case(org, org.platform)
    api.post_json(f"cases/{case.pk}/responses/", ACCEPT, key="1")
    response = api.post_json(f"cases/{case.pk}/responses/", ACCEPT, key="1")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert api.get(f"cases/{case.pk}/").status_code == 200  # reads have their own limit


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_one_key_sent_twice_at_once_records_one_response(org, token):
    case = file_case(org, org.platform)

    def send():
        return ApiClient(token).post_json(f"cases/{case.pk}/responses/", ACCEPT, key="same")

    results = run_together([send, send])
    assert all(ok for ok, _value in results), results
    answers = [value for _ok, value in results]
    assert sorted(a.status_code for a in answers) in ([201, 201], [201, 409])
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["error"]["code"] == "in_progress" and answer["Retry-After"]
    assert EmployerResponse.objects.filter(case=case).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_keys_at_once_record_one_response_and_tell_the_other(org, token):
    case = file_case(org, org.platform)
    calls = [
        lambda key=key: ApiClient(token).post_json(f"cases/{case.pk}/responses/", ACCEPT, key=key)
        for key in ("x", "y")
    ]
    results = run_together(calls)
    assert sorted(value.status_code for _ok, value in results) == [201, 409]
    assert EmployerResponse.objects.filter(case=case).count() == 1


def test_a_late_answer_is_taken_and_marked_late(api, org, now_is):
    case = file_case(org, org.platform)
    now_is(date(2026, 5, 20), hour=10)
    response = api.post_json(f"cases/{case.pk}/responses/", ACCEPT | {"pay_by": "2026-05-30"})
    assert response.status_code == 201 and response.json()["late"] is True
