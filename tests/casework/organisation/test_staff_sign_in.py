"""Staff sign in with a username and password and are locked out after repeated failures."""

from datetime import timedelta

import pytest
from django.urls import reverse

from casework.organisation.models import SignInLock
from tests.factories.organisation import STAFF_PASSWORD, make_staff, make_worker

# Locks end by the clock: it is 10:00 on Monday 16 March 2026, and ticking.
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-03-16T10:00")]

SIGN_IN = reverse("casework:staff_sign_in")


def sign_in(client, username="li.ming", password=STAFF_PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


def test_a_coordinator_signs_in_and_sees_their_team(client):
    make_staff(username="li.ming", display_name="李明")

    response = sign_in(client)
    assert response["Location"] == reverse("casework:home")
    page = client.get(response["Location"]).content.decode()

    assert "李明，您好" in page and "协调员" in page and "测试队伍" in page


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    make_staff(username="li.ming")
    for username, password in [("li.ming", "nope"), ("nobody", STAFF_PASSWORD)]:
        response = sign_in(client, username, password)
        assert response.status_code == 200
        assert "用户名或密码错误。" in response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_username_for_a_while(client, now_is):
    make_staff(username="li.ming")
    for _ in range(4):
        sign_in(client, password="wrong")
    fifth = sign_in(client, password="wrong")
    assert "失败次数过多，登录已锁定至 10:15。" in fifth.context["form"].non_field_errors()[0]

    right = sign_in(client)
    assert right.status_code == 200, "the right password does not open a locked account"
    assert "失败次数过多" in right.context["form"].non_field_errors()[0]

    now_is.shift(timedelta(minutes=14))
    assert sign_in(client).status_code == 200, "still locked at 10:14"
    now_is.shift(timedelta(minutes=1))
    assert sign_in(client).status_code == 302


def test_a_success_resets_the_failure_count(client):
    make_staff(username="li.ming")
    for _ in range(4):
        sign_in(client, password="wrong")
    assert sign_in(client).status_code == 302
    client.post(reverse("casework:sign_out"))
    for _ in range(4):
        sign_in(client, password="wrong")
    assert sign_in(client).status_code == 302


def test_unknown_usernames_are_locked_alike_but_leave_no_row(client, now_is):
    """Typed garbage creates nothing in the database, and the answers do not tell an unknown
    username from a known one: the same words, the same lock after five tries."""
    make_staff(username="li.ming")
    answers = {}
    for username in ("ghost", "li.ming"):
        answers[username] = [
            sign_in(client, username, "wrong").context["form"].non_field_errors()[0]
            for _ in range(6)
        ]
    assert answers["ghost"] == answers["li.ming"]
    assert answers["ghost"][0] == "用户名或密码错误。"
    assert answers["ghost"][4] == answers["ghost"][5] == "失败次数过多，登录已锁定至 10:15。"
    assert list(SignInLock.objects.values_list("key", flat=True)) == ["staff:li.ming"]

    now_is.shift(timedelta(minutes=15))
    assert sign_in(client, "ghost", "wrong").context["form"].non_field_errors()[0] == (
        "用户名或密码错误。"
    ), "the lock on an unknown username ends like any other"
    assert sign_in(client).status_code == 302


def test_garbage_usernames_create_no_rows(client):
    for i in range(30):
        sign_in(client, f"garbage-{i}", "x")
    assert not SignInLock.objects.exists()


def test_worker_accounts_cannot_use_the_password_form(client):
    worker = make_worker()
    worker.set_password("a password set by mistake")
    worker.save()
    response = sign_in(client, worker.username, "a password set by mistake")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "data",
    [{}, {"username": ""}, {"password": "x"}, {"username": "a" * 5000, "password": "x"}],
)
def test_incomplete_or_oversized_input_is_a_form_error(client, data):
    response = client.post(SIGN_IN, data)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_next_leads_back_to_the_page_asked_for_but_never_off_site(client):
    make_staff(username="li.ming")
    assert sign_in(client, next="/home/?tab=team")["Location"] == "/home/?tab=team"
    client.post(reverse("casework:sign_out"))
    assert sign_in(client, next="//evil.example/")["Location"] == reverse("casework:home")


def test_sign_out_needs_a_post(client):
    make_staff(username="li.ming")
    sign_in(client)
    assert client.get(reverse("casework:sign_out")).status_code == 405
    assert "_auth_user_id" in client.session
    client.post(reverse("casework:sign_out"))
    assert "_auth_user_id" not in client.session


def test_pages_for_signed_in_users_send_others_to_sign_in(client):
    response = client.get(reverse("casework:home"))
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)
