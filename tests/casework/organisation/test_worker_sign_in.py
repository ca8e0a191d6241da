"""A worker signs in with a mainland mobile number and a one-time code."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from casework.organisation.models import OneTimeCode, User
from tests.factories.organisation import make_staff

# The code leaves by SMS only after commit: these tests let transactions really commit.
# Codes expire and locks end by the clock: it is 10:00 on Monday 16 March 2026, and ticking.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.now("2026-03-16T10:00")]

MOBILE = "13800138001"
SIGN_IN = reverse("casework:worker_sign_in")
CODE = reverse("casework:worker_sign_in_code")


def code_from(outbox) -> str:
    assert outbox, "no text message was sent"
    return re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def request_code(client, mobile=MOBILE):
    return client.post(SIGN_IN, {"mobile": mobile})


def test_first_sign_in_creates_the_worker_and_lands_on_my_cases(client, sms_outbox):
    response = request_code(client, "+86 138-0013-8001")
    assert response.status_code == 302 and response["Location"] == CODE
    assert len(sms_outbox) == 1 and sms_outbox[0].to == MOBILE
    assert "【安薪】" in sms_outbox[0].body, "the text is in Chinese by default"

    response = client.post(CODE, {"code": code_from(sms_outbox)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("casework:my_cases")
    assert "您还没有案件。" in response.content.decode()
    worker = User.objects.get(mobile=MOBILE)
    assert worker.is_worker and not worker.has_usable_password()
    assert response.context["user"] == worker


def test_the_code_is_stored_hashed(client, sms_outbox):
    request_code(client)
    stored = OneTimeCode.objects.get(mobile=MOBILE)
    assert code_from(sms_outbox) not in stored.code_hash
    assert len(stored.code_hash) == 64


@pytest.mark.parametrize(
    "mobile", ["12345", "23800138001", "1380013800", "138001380011", "abc", "1" * 200, "<script>"]
)
def test_a_malformed_number_is_a_field_error(client, sms_outbox, mobile):
    response = client.post(SIGN_IN, {"mobile": mobile})

    assert response.status_code == 200
    assert response.context["form"].errors["mobile"], f"{mobile!r} was accepted"
    assert 'aria-invalid="true"' in response.content.decode()
    assert sms_outbox == [] and not OneTimeCode.objects.exists()


def test_a_malformed_number_gets_a_message_that_says_what_to_type(client):
    response = client.post(SIGN_IN, {"mobile": "1380013800"})
    assert "请输入 11 位中国大陆手机号码" in response.context["form"].errors["mobile"][0]


def test_missing_number_and_missing_code_are_field_errors(client):
    assert "mobile" in client.post(SIGN_IN, {}).context["form"].errors
    request_code(client)
    for bad in ["", "12345", "abcdef", "1234567"]:
        response = client.post(CODE, {"code": bad})
        assert response.status_code == 200
        assert response.context["form"].errors["code"], f"{bad!r} was accepted"


def test_a_wrong_code_says_how_many_tries_are_left(client, sms_outbox):
    request_code(client)
    response = client.post(CODE, {"code": wrong(code_from(sms_outbox))})
    assert "验证码错误，还可尝试 4 次。" in response.context["form"].errors["code"]
    assert "_auth_user_id" not in client.session


def test_five_wrong_codes_lock_the_number_even_for_the_right_code(client, sms_outbox):
    request_code(client)
    code = code_from(sms_outbox)
    for _ in range(4):
        client.post(CODE, {"code": wrong(code)})

    fifth = client.post(CODE, {"code": wrong(code)})
    assert "失败次数过多，登录已锁定至 10:30。" in fifth.context["form"].errors["code"][0]

    right = client.post(CODE, {"code": code})
    assert "失败次数过多" in right.context["form"].errors["code"][0]
    assert "_auth_user_id" not in client.session

    again = request_code(client)
    assert again.status_code == 200, "a locked number cannot ask for a new code either"
    assert "失败次数过多" in again.context["form"].errors["mobile"][0]
    assert len(sms_outbox) == 1


def test_the_lock_ends_after_the_lockout_period(client, sms_outbox, now_is):
    request_code(client)
    for _ in range(5):
        client.post(CODE, {"code": wrong(code_from(sms_outbox))})

    now_is.shift(timedelta(minutes=29))
    assert "失败次数过多" in request_code(client).context["form"].errors["mobile"][0]
    now_is.shift(timedelta(minutes=1))
    request_code(client)
    response = client.post(CODE, {"code": code_from(sms_outbox)})
    assert response.status_code == 302


def test_an_expired_code_is_refused(client, sms_outbox, now_is):
    request_code(client)
    now_is.shift(timedelta(minutes=5))  # valid for five minutes

    response = client.post(CODE, {"code": code_from(sms_outbox)})

    assert "验证码已过期，请重新获取。" in response.context["form"].errors["code"]
    assert "_auth_user_id" not in client.session


def test_a_code_works_once(client, sms_outbox):
    """A code replayed from a second browser after it was used is refused."""
    request_code(client)
    code = code_from(sms_outbox)
    replayer = Client()
    replayer_session = replayer.session
    replayer_session["anxin_signin_mobile"] = MOBILE
    replayer_session.save()
    replayer.cookies["sessionid"] = replayer_session.session_key

    assert client.post(CODE, {"code": code}).status_code == 302
    response = replayer.post(CODE, {"code": code})

    assert "该验证码已使用，请重新获取。" in response.context["form"].errors["code"]
    assert "_auth_user_id" not in replayer.session


def test_a_new_code_replaces_the_old_one(client, sms_outbox, settings):
    settings.ANXIN_OTP_RESEND_SECONDS = 0
    request_code(client)
    old = code_from(sms_outbox)
    client.post(CODE, {"resend": "1"})
    new = code_from(sms_outbox)
    if old == new:
        pytest.skip("the two random codes happen to be equal")
    assert client.post(CODE, {"code": old}).status_code == 200
    assert client.post(CODE, {"code": new}).status_code == 302


def test_resend_is_throttled(client, sms_outbox, now_is):
    request_code(client)
    response = client.post(CODE, {"resend": "1"})

    assert response.status_code == 200
    assert "验证码刚刚已发送" in response.content.decode()
    assert len(sms_outbox) == 1
    now_is.shift(timedelta(seconds=60))
    client.post(CODE, {"resend": "1"})
    assert len(sms_outbox) == 2, "a minute later a new code can be asked for"


def test_at_most_five_codes_an_hour(client, sms_outbox, now_is):
    for _ in range(5):
        assert request_code(client).status_code == 302
        now_is.shift(timedelta(minutes=1))  # a new code after a minute each time
    response = request_code(client)
    assert "过去一小时内向该号码发送的验证码过多" in response.context["form"].errors["mobile"][0]
    assert len(sms_outbox) == 5
    now_is.shift(timedelta(minutes=55))  # an hour after the first
    assert request_code(client).status_code == 302


def test_a_staff_number_cannot_sign_in_by_code(client, sms_outbox):
    make_staff(mobile="13700137000")
    response = request_code(client, "13700137000")
    assert "该号码属于工作人员账号" in response.context["form"].errors["mobile"][0]
    assert sms_outbox == []


def test_the_code_page_without_a_number_goes_back_to_step_one(client):
    assert client.get(CODE)["Location"] == SIGN_IN
    assert client.post(CODE, {"code": "123456"})["Location"] == SIGN_IN


def test_next_is_followed_only_within_the_site(client, sms_outbox):
    client.get(SIGN_IN, {"next": "https://evil.example/"})
    request_code(client)
    response = client.post(CODE, {"code": code_from(sms_outbox)})
    assert response["Location"] == reverse("casework:home")


def test_english_readers_get_english_messages(client, sms_outbox):
    client.cookies["django_language"] = "en"
    response = client.post(SIGN_IN, {"mobile": "123"})
    assert "Enter a mainland mobile number of 11 digits" in response.content.decode()
    request_code(client)
    assert sms_outbox[-1].body.startswith("[Anxin] Your sign-in code is")
