"""Sign-in for staff (username and password) and workers (mobile number and one-time code).

Both keep a count of consecutive failures per key in SignInLock; reaching the limit locks the
key for a while. Checking the lock, checking the secret and counting the outcome happen in one
transaction that holds the key's row lock, so parallel attempts for one key are taken one at a
time: no more than the limit are ever checked, and a success resets only failures that ended
before it. Failure counts are committed before the refusal is raised, so a refused attempt is
never rolled back. Rows exist only for staff usernames that belong to an account and for
numbers a code was sent to; guesses at other usernames count in the cache and expire.

Per-client limits (casework.organisation.ratelimit) come on top: wrong passwords, codes texted
and wrong codes from one address.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import time_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casework.core.outbound import send_on_commit
from casework.organisation import principal
from casework.organisation.models import OneTimeCode, SignInLock, User
from casework.organisation.ratelimit import cache_get, cache_set, throttle_forgive, throttle_hit
from casework.organisation.sms import send_sms
from casework.organisation.validators import normalise_mainland_mobile


class SignInRefused(Exception):
    """A refusal to show the user: `message` is translated, `field` names the form field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class _Outcome:
    user: User | None = None
    refusal: SignInRefused | None = None


def _lock_row(key: str, *, create: bool) -> SignInLock | None:
    """The lock row for `key`, locked for this transaction (created if missing and `create`)."""
    if create:
        SignInLock.objects.get_or_create(key=key)
    return SignInLock.objects.select_for_update().filter(key=key).first()


def _locked_message(lock: SignInLock) -> str | None:
    if lock.locked_until and lock.locked_until > timezone.now():
        until = time_format(timezone.localtime(lock.locked_until), "H:i")
        return _("Too many failed attempts. Sign-in is locked until %(time)s.") % {"time": until}
    return None


def _record_failure(lock: SignInLock, *, limit: int, lockout_minutes: int) -> bool:
    """Count one failure; lock the key when the limit is reached. Returns True if now locked."""
    lock.failures += 1
    locked = lock.failures >= limit
    if locked:
        lock.failures = 0
        lock.locked_until = timezone.now() + timedelta(minutes=lockout_minutes)
    lock.save(update_fields=["failures", "locked_until", "updated_at"])
    return locked


def _record_success(lock: SignInLock) -> None:
    if lock.failures or lock.locked_until:
        lock.failures = 0
        lock.locked_until = None
        lock.save(update_fields=["failures", "locked_until", "updated_at"])


# Staff ---------------------------------------------------------------------------------------


def _staff_key(username: str) -> str:
    return f"staff:{username.strip().lower()}"


def _staff_check_existing(*, request: HttpRequest, key: str, username: str, password: str):
    """Check the password of an existing account under its row lock; count the outcome."""
    with transaction.atomic():
        lock = _lock_row(key, create=True)
        if message := _locked_message(lock):
            return None, message
        # Hashing is slow on purpose, and happens while the row is locked: a parallel attempt
        # for this username waits here, then sees the count this one leaves.
        user = authenticate(request, username=username, password=password)
        if user is not None and not user.is_worker:
            _record_success(lock)
            return user, None
        if _record_failure(
            lock,
            limit=settings.ANXIN_STAFF_MAX_FAILURES,
            lockout_minutes=settings.ANXIN_STAFF_LOCKOUT_MINUTES,
        ):
            return None, _locked_message(lock)
    return None, None


def _staff_check_unknown(*, request: HttpRequest, key: str, username: str, password: str):
    """A username without an account: no row, but the same hashing and the same answers.

    authenticate() hashes the password once for an unknown username, so the time taken does not
    tell; failures count in the cache (they expire) so that the lock message does not tell
    either.
    """
    authenticate(request, username=username, password=password)
    # Hashed: whatever was typed, the cache key stays short and plain.
    cache_key = f"anxin:signin-unknown:{hashlib.sha256(key.encode()).hexdigest()}"
    now = timezone.now()
    state = cache_get(cache_key) or {"failures": 0, "locked_until": None}
    lock = SignInLock(key=key, failures=state["failures"], locked_until=state["locked_until"])
    if message := _locked_message(lock):
        return None, message
    lock.failures += 1
    if lock.failures >= settings.ANXIN_STAFF_MAX_FAILURES:
        lock.failures = 0
        lock.locked_until = now + timedelta(minutes=settings.ANXIN_STAFF_LOCKOUT_MINUTES)
    timeout = max(settings.ANXIN_STAFF_LOCKOUT_MINUTES * 60, 3600)
    cache_set(cache_key, {"failures": lock.failures, "locked_until": lock.locked_until}, timeout)
    return None, _locked_message(lock)


def staff_sign_in(*, request: HttpRequest, client_ip: str, username: str, password: str) -> User:
    """Authenticate a staff member and log them in.

    Changes: the failure count of the username (locked for ANXIN_STAFF_LOCKOUT_MINUTES after
    ANXIN_STAFF_MAX_FAILURES failures) and the count of wrong passwords from `client_ip`.
    Sends nothing. Raises SignInRefused, or ClientThrottled beyond ANXIN_IP_MAX_STAFF_FAILURES.
    """
    # Counted before checking, taken back on success: parallel guesses cannot slip past.
    attempt = throttle_hit(
        scope="staff-password", ip=client_ip, limit=settings.ANXIN_IP_MAX_STAFF_FAILURES
    )
    username = username.strip()
    key = _staff_key(username)
    check = (
        _staff_check_existing
        if User.objects.filter(username=username).exists()
        else _staff_check_unknown
    )
    user, locked_message = check(request=request, key=key, username=username, password=password)
    if user is None:
        raise SignInRefused(locked_message or _("The username or password is wrong."))
    throttle_forgive(attempt)
    login(request, user, backend=principal.BACKEND)
    return user


# Workers -------------------------------------------------------------------------------------


def _code_hash(mobile: str, code: str) -> str:
    # Keyed with SECRET_KEY: a leaked table cannot be brute-forced over the 10^6 codes offline.
    return salted_hmac("anxin.one-time-code", f"{mobile}:{code}", algorithm="sha256").hexdigest()


def otp_request(*, mobile: str, client_ip: str) -> OneTimeCode:
    """Issue a one-time code for `mobile` and text it after commit.

    Changes: a new OneTimeCode (hashed; earlier codes stop counting), the count of codes sent
    for `client_ip`. Sends: one SMS. Raises ValidationError for a malformed number,
    SignInRefused when locked or throttled, ClientThrottled beyond ANXIN_IP_MAX_CODES_SENT.
    """
    mobile = normalise_mainland_mobile(mobile)
    now = timezone.now()
    with transaction.atomic():
        # The lock row serialises concurrent requests for one number.
        lock = _lock_row(f"otp:{mobile}", create=True)
        if message := _locked_message(lock):
            raise SignInRefused(message, field="mobile")
        if User.objects.filter(mobile=mobile, is_worker=False).exists():
            raise SignInRefused(
                _("This number belongs to a staff account. Please use the staff sign-in."),
                field="mobile",
            )
        recent = OneTimeCode.objects.filter(mobile=mobile, created_at__gte=now - timedelta(hours=1))
        latest = recent.order_by("-created_at").first()
        if latest:
            wait = settings.ANXIN_OTP_RESEND_SECONDS - (now - latest.created_at).total_seconds()
            if wait > 0:
                raise SignInRefused(
                    _("A code was just sent. You can ask for another in %(seconds)d seconds.")
                    % {"seconds": int(wait) + 1},
                    field="mobile",
                )
        if recent.count() >= settings.ANXIN_OTP_MAX_PER_HOUR:
            raise SignInRefused(
                _("Too many codes were sent to this number in the last hour. Try again later."),
                field="mobile",
            )
        # Last, so that only a text about to be sent counts against the client.
        throttle_hit(scope="codes-sent", ip=client_ip, limit=settings.ANXIN_IP_MAX_CODES_SENT)
        code = f"{secrets.randbelow(10**settings.ANXIN_OTP_LENGTH):0{settings.ANXIN_OTP_LENGTH}d}"
        one_time_code = OneTimeCode.objects.create(
            mobile=mobile,
            code_hash=_code_hash(mobile, code),
            expires_at=now + timedelta(minutes=settings.ANXIN_OTP_VALID_MINUTES),
        )
        body = _(
            "[Anxin] Your sign-in code is %(code)s, valid for %(minutes)d minutes. "
            "Never share it with anyone."
        ) % {"code": code, "minutes": settings.ANXIN_OTP_VALID_MINUTES}
        send_on_commit(
            lambda: send_sms(to=mobile, body=body),
            kind="sms",
            description="one-time code SMS",
            payload={"to": mobile},
        )
    return one_time_code


def _check_code(mobile: str, code: str) -> _Outcome:
    now = timezone.now()
    # The row exists for every number a code was sent to (otp_request creates it).
    lock = _lock_row(f"otp:{mobile}", create=False)
    if lock and (message := _locked_message(lock)):
        return _Outcome(refusal=SignInRefused(message, field="code"))
    latest = (
        OneTimeCode.objects.select_for_update()
        .filter(mobile=mobile)
        .order_by("-created_at")
        .first()
    )
    if latest is None or lock is None:
        return _Outcome(
            refusal=SignInRefused(
                _("No code has been sent to this number. Ask for a code first."), field="code"
            )
        )
    if latest.used_at is not None:
        return _Outcome(
            refusal=SignInRefused(
                _("This code has already been used. Ask for a new code."), field="code"
            )
        )
    if latest.expires_at <= now:
        return _Outcome(
            refusal=SignInRefused(_("This code has expired. Ask for a new code."), field="code")
        )
    if not constant_time_compare(latest.code_hash, _code_hash(mobile, code)):
        latest.failed_attempts += 1
        latest.save(update_fields=["failed_attempts"])
        if _record_failure(
            lock,
            limit=settings.ANXIN_OTP_MAX_FAILURES,
            lockout_minutes=settings.ANXIN_OTP_LOCKOUT_MINUTES,
        ):
            return _Outcome(refusal=SignInRefused(_locked_message(lock), field="code"))
        remaining = settings.ANXIN_OTP_MAX_FAILURES - lock.failures
        return _Outcome(
            refusal=SignInRefused(
                _("The code is wrong. %(remaining)d tries left.") % {"remaining": remaining},
                field="code",
            )
        )
    latest.used_at = now
    latest.save(update_fields=["used_at"])
    _record_success(lock)
    user, _created = User.objects.get_or_create(
        mobile=mobile,
        defaults={
            "username": f"worker-{mobile}",
            "is_worker": True,
            "preferred_language": get_language() or settings.LANGUAGE_CODE,
        },
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return _Outcome(user=user)


def otp_sign_in(*, request: HttpRequest, client_ip: str, mobile: str, code: str) -> User:
    """Check a worker's code and log them in, creating the worker account on first sign-in.

    Changes: the code (used, or one more failed attempt), the number's failure count (locked for
    ANXIN_OTP_LOCKOUT_MINUTES after ANXIN_OTP_MAX_FAILURES wrong codes), the count of wrong codes
    from `client_ip`, the worker account. Raises ValidationError for a malformed number,
    ClientThrottled beyond ANXIN_IP_MAX_CODE_FAILURES, SignInRefused otherwise.
    """
    mobile = normalise_mainland_mobile(mobile)
    # Counted before checking, taken back on success: parallel guesses cannot slip past.
    attempt = throttle_hit(
        scope="code-guesses", ip=client_ip, limit=settings.ANXIN_IP_MAX_CODE_FAILURES
    )
    with transaction.atomic():
        outcome = _check_code(mobile, code.strip())
    if outcome.refusal:
        raise outcome.refusal
    throttle_forgive(attempt)
    if not outcome.user.is_active:
        raise SignInRefused(_("This account is disabled. Please contact a service station."))
    login(request, outcome.user, backend=principal.BACKEND)
    return outcome.user
