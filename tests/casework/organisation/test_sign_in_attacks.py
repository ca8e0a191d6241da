"""Sign-in under attack: parallel guesses, one client guessing many accounts, look-alike digits.

The parallel tests need PostgreSQL (SQLite serialises whole transactions); CI runs them there.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.test import Client
from django.urls import reverse

from casework.organisation.models import OneTimeCode, SignInLock
from tests.concurrency import run_together
from tests.factories.organisation import STAFF_PASSWORD, make_staff

# Locks and limits end by the clock: it is 10:00 on Monday 16 March 2026, and ticking.
pytestmark = [pytest.mark.now("2026-03-16T10:00")]

STAFF = reverse("casework:staff_sign_in")
WORKER = reverse("casework:worker_sign_in")
CODE = reverse("casework:worker_sign_in_code")

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def code_from(outbox, mobile) -> str:
    texts = [sms for sms in outbox if sms.to == mobile]
    assert texts, f"no text message was sent to {mobile}"
    return re.search(r"\b(\d{6})\b", texts[-1].body).group(1)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def errors(response) -> list[str]:
    form = response.context["form"]
    return [str(message) for messages in form.errors.values() for message in messages]


class SlowishHasher(PBKDF2PasswordHasher):
    """A hash that takes a while, as in production (the test settings use MD5): the time an
    attempt spends hashing is the window parallel attempts raced through."""

    algorithm = "pbkdf2_sha256_slowish"
    iterations = 150_000


@pytest.fixture
def slow_hashing(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.SlowishHasher"]


class Evaluated:
    """Counts the passwords Django actually checked and found wrong (its own signal)."""

    def __init__(self):
        self.calls = []

    def __call__(self, **kwargs):
        self.calls.append(1)  # list.append is atomic across threads

    @property
    def wrong(self) -> int:
        return len(self.calls)


@pytest.fixture
def evaluated():
    counter = Evaluated()
    user_login_failed.connect(counter, dispatch_uid="test-evaluated")
    yield counter
    user_login_failed.disconnect(dispatch_uid="test-evaluated")


# --- Hole 2: parallel guesses at one staff account (PostgreSQL) -----------------------------


def _staff_attempt(password: str, ip: str):
    def attempt():
        response = Client(REMOTE_ADDR=ip).post(STAFF, {"username": "li.ming", "password": password})
        if response.status_code == 302:
            return "signed in"
        # Not response.context: the test client collects templates from every thread.
        page = response.content.decode()
        return "locked" if "登录已锁定" in page else "wrong"

    return attempt


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_forty_parallel_wrong_passwords_get_five_checked(slow_hashing, evaluated):
    """40 guesses at once, each from its own address: five are checked, then the lock holds."""
    make_staff(username="li.ming")

    results = run_together([_staff_attempt(f"guess-{i}", f"10.0.0.{i}") for i in range(40)])

    answers = [value for ok, value in results]
    assert all(ok for ok, _ in results), results
    assert evaluated.wrong == 5, f"{evaluated.wrong} passwords were checked, not 5"
    assert answers.count("wrong") == 4 and answers.count("locked") == 36, answers


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_right_password_among_forty_never_signs_in_once_locked(slow_hashing, evaluated):
    """Four failures already; 39 wrong guesses and the right password arrive together.

    Either the right one is checked first (then it signs in, and the wrong ones lock the
    account after five more), or one wrong guess locks the account and nothing signs in.
    Before the fix the right one signed in after dozens of wrong guesses had been checked.
    """
    make_staff(username="li.ming")
    for _ in range(4):
        _staff_attempt("wrong", "10.1.0.1")()
    evaluated.calls.clear()
    attempts = [_staff_attempt(f"guess-{i}", f"10.0.0.{i}") for i in range(39)]
    attempts.insert(17, _staff_attempt(STAFF_PASSWORD, "10.0.1.1"))

    results = run_together(attempts)

    assert all(ok for ok, _ in results), results
    answers = [value for _, value in results]
    if answers[17] == "signed in":
        assert evaluated.wrong == 5 and answers.count("wrong") == 4, answers
        assert answers.count("locked") == 35, answers
    else:
        assert answers.count("signed in") == 0, answers
        assert evaluated.wrong == 1, f"{evaluated.wrong} passwords checked after the lock"
        assert answers.count("locked") == 40, answers
    assert SignInLock.objects.get(key="staff:li.ming").locked_until is not None


def _code_attempt(code: str, ip: str, mobile: str):
    def attempt():
        client = Client(REMOTE_ADDR=ip)
        session = client.session
        session["anxin_signin_mobile"] = mobile
        session.save()
        client.cookies["sessionid"] = session.session_key
        response = client.post(CODE, {"code": code})
        if response.status_code == 302:
            return "signed in"
        page = response.content.decode()
        if "登录已锁定" in page:
            return "locked"
        return "used" if "已使用" in page else "wrong"

    return attempt


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_forty_parallel_code_guesses_never_accept_a_code_after_the_fifth_failure(sms_outbox):
    mobile = "13800138001"
    Client(REMOTE_ADDR="10.2.0.1").post(WORKER, {"mobile": mobile})
    code = code_from(sms_outbox, mobile)
    attempts = [_code_attempt(wrong(code), f"10.0.0.{i}", mobile) for i in range(39)]
    attempts.insert(23, _code_attempt(code, "10.0.1.1", mobile))

    results = run_together(attempts)

    assert all(ok for ok, _ in results), results
    answers = [value for _, value in results]
    if answers[23] == "signed in":
        assert answers.count("wrong") <= 4 and "locked" not in answers, answers
    else:
        assert answers.count("wrong") == 4 and answers.count("locked") == 36, answers
    assert OneTimeCode.objects.get(mobile=mobile).failed_attempts == answers.count("wrong") + (
        answers.count("locked") > 0
    )


# --- Hole 2: one client, many accounts (per-address limits) ---------------------------------


@pytest.mark.django_db
def test_one_address_gets_twenty_wrong_passwords_then_429(client, settings):
    make_staff(username="li.ming")
    for i in range(20):
        response = client.post(STAFF, {"username": f"user-{i}", "password": "x"})
        assert response.status_code == 200
    refused = client.post(STAFF, {"username": "li.ming", "password": STAFF_PASSWORD})

    assert refused.status_code == 429
    assert "来自您所在网络的尝试次数过多，请等待 10 分钟后再试。" in errors(refused)[0]
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.post(STAFF, {"username": "li.ming", "password": STAFF_PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_right_passwords_do_not_count_against_a_shared_office_address(client):
    """A station behind one address signs in all morning: only wrong passwords count."""
    make_staff(username="li.ming")
    for _ in range(30):
        assert (
            client.post(STAFF, {"username": "li.ming", "password": STAFF_PASSWORD}).status_code
            == 302
        )
        client.post(reverse("casework:sign_out"))


@pytest.mark.django_db
def test_the_address_limit_ends_with_its_window(client, now_is):
    make_staff(username="li.ming")
    for i in range(21):
        client.post(STAFF, {"username": f"user-{i}", "password": "x"})
    assert (
        client.post(STAFF, {"username": "li.ming", "password": STAFF_PASSWORD}).status_code == 429
    )
    now_is.shift(timedelta(minutes=10))
    assert (
        client.post(STAFF, {"username": "li.ming", "password": STAFF_PASSWORD}).status_code == 302
    )


@pytest.mark.django_db
def test_forwarded_for_counts_only_behind_our_proxy(settings):
    """X-Forwarded-For is the client's to forge unless our proxy appended its last entry."""
    make_staff(username="li.ming")

    def attempts(forwarded_for):
        return [
            Client(HTTP_X_FORWARDED_FOR=forwarded_for(i)).post(
                STAFF, {"username": "nobody", "password": "x"}
            )
            for i in range(21)
        ]

    settings.ANXIN_BEHIND_TLS_PROXY = False
    assert attempts(lambda i: f"10.0.0.{i}")[-1].status_code == 429, "forged header was trusted"

    settings.ANXIN_BEHIND_TLS_PROXY = True
    statuses = [r.status_code for r in attempts(lambda i: f"1.1.1.1, 10.3.0.{i}")]
    assert statuses == [200] * 21, "each client behind the proxy counts on its own"
    statuses = [r.status_code for r in attempts(lambda i: f"10.4.0.{i}, 203.0.113.7")]
    assert statuses[-1] == 429, "a forged first entry escaped the limit"


@pytest.mark.django_db(transaction=True)
def test_one_address_gets_ten_codes_texted_then_429(client, sms_outbox):
    for i in range(10):
        assert client.post(WORKER, {"mobile": f"1380013{i:04d}"}).status_code == 302
    refused = client.post(WORKER, {"mobile": "13900139000"})

    assert refused.status_code == 429
    assert "来自您所在网络的尝试次数过多" in errors(refused)[0]
    assert len(sms_outbox) == 10
    assert not OneTimeCode.objects.filter(mobile="13900139000").exists()
    assert Client(REMOTE_ADDR="10.9.9.9").post(WORKER, {"mobile": "13900139000"}).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_resending_counts_as_a_code_texted(client, sms_outbox, settings):
    settings.ANXIN_OTP_RESEND_SECONDS = 0
    settings.ANXIN_OTP_MAX_PER_HOUR = 100
    client.post(WORKER, {"mobile": "13800138001"})
    for _ in range(9):
        client.post(CODE, {"resend": "1"})
    response = client.post(CODE, {"resend": "1"})
    assert response.status_code == 429
    assert len(sms_outbox) == 10


@pytest.mark.django_db(transaction=True)
def test_one_address_gets_twenty_wrong_codes_over_many_numbers_then_429(sms_outbox):
    """Today's attack: wrong guesses spread over many numbers, four each, under each lock."""
    guesser = Client(REMOTE_ADDR="10.5.5.5")
    numbers = [f"1380013{i:04d}" for i in range(6)]
    for mobile in numbers:
        Client(REMOTE_ADDR=f"10.6.0.{mobile[-1]}").post(WORKER, {"mobile": mobile})
    statuses = []
    for mobile in numbers:
        session = guesser.session
        session["anxin_signin_mobile"] = mobile
        session.save()
        guesser.cookies["sessionid"] = session.session_key
        for _ in range(4):
            statuses.append(
                guesser.post(CODE, {"code": wrong(code_from(sms_outbox, mobile))}).status_code
            )
    assert statuses[:20] == [200] * 20 and statuses[20:] == [429] * 4, statuses
    mobile = numbers[-1]
    refused = guesser.post(CODE, {"code": code_from(sms_outbox, mobile)})
    assert refused.status_code == 429 and "_auth_user_id" not in guesser.session
    assert OneTimeCode.objects.get(mobile=mobile).used_at is None


@pytest.mark.django_db(transaction=True)
def test_a_right_code_does_not_count_against_the_address(sms_outbox, settings):
    settings.ANXIN_IP_MAX_CODES_SENT = 100
    for i in range(25):
        mobile = f"1380013{i:04d}"
        client = Client(REMOTE_ADDR="10.7.7.7")
        client.post(WORKER, {"mobile": mobile})
        assert client.post(CODE, {"code": code_from(sms_outbox, mobile)}).status_code == 302


# --- Hole 2: no rows for typed garbage ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_codes_typed_for_numbers_never_texted_leave_no_row(client):
    session = client.session
    session["anxin_signin_mobile"] = "13800138009"
    session.save()
    client.cookies["sessionid"] = session.session_key
    response = client.post(CODE, {"code": "123456"})
    assert "尚未向该号码发送验证码" in errors(response)[0]
    assert not SignInLock.objects.exists()


# --- The cache down --------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_still_works_while_the_cache_is_unreachable(client, settings, caplog):
    """Redis down: the per-address limits open (logged once), the lock per account still holds."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    make_staff(username="li.ming")
    answers = [
        client.post(STAFF, {"username": name, "password": "x"}).status_code
        for name in ("ghost", "li.ming", "li.ming", "li.ming", "li.ming", "li.ming")
    ]
    right = client.post(STAFF, {"username": "li.ming", "password": STAFF_PASSWORD})

    assert answers == [200] * 6
    assert right.status_code == 200 and "登录已锁定" in right.content.decode()
    assert SignInLock.objects.get(key="staff:li.ming").locked_until is not None
    outage_logs = [r for r in caplog.records if "cache is unreachable" in r.getMessage()]
    assert len(outage_logs) <= 1
