"""Idempotency-Key on every POST: the first answer is kept and replayed, never a second action.

The key's row is committed before the work starts, under a unique (token, key) constraint: of
two requests with one key at the same moment, one inserts and works; the other finds the row
and is told to retry (409 in_progress, Retry-After) or, once the first is done, gets its answer.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from platforms.api.errors import ApiError, error_body
from platforms.api.models import ApiToken, IdempotentRequest

# A row still "in progress" this long after it was claimed belongs to a request that died
# (the process was killed): the key may be used again.
ABANDONED_AFTER = timedelta(minutes=5)


def fingerprint(*parts) -> str:
    """The same request always gives the same fingerprint (keys sorted, amounts as text)."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def check_key(key: str) -> str:
    if not key or len(key) > 255 or not all(" " < char < "\x7f" for char in key):
        raise ApiError(
            400,
            "idempotency_key_invalid",
            _("Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID."),
            fields={"Idempotency-Key": _("1 to 255 visible ASCII characters, e.g. a UUID.")},
        )
    return key


def _claim(token: ApiToken, key: str, print_: str) -> tuple[IdempotentRequest, bool]:
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(
                    token=token, key=key, fingerprint=print_
                ), True
        except IntegrityError:
            existing = IdempotentRequest.objects.filter(token=token, key=key).first()
            if existing is None:
                continue  # released by its request in between: claim it again
            abandoned = existing.completed_at is None and (
                existing.created_at < timezone.now() - ABANDONED_AFTER
            )
            if not abandoned:
                return existing, False
            IdempotentRequest.objects.filter(pk=existing.pk, completed_at=None).delete()
    raise _in_progress()


def _in_progress() -> ApiError:
    return ApiError(
        409,
        "in_progress",
        _("A request with this Idempotency-Key is still being handled. Try again in a moment."),
        headers={"Retry-After": "1"},
    )


def _answer(status: int, body: dict, *, replayed: bool) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def run_once(
    *, token: ApiToken, key: str, request_print: str, work: Callable[[], tuple[int, dict]]
) -> JsonResponse:
    """Do `work` once for (token, key): it returns (status, JSON body). Its refusals (ApiError
    below 500) are kept and replayed like its successes; anything else frees the key."""
    key = check_key(key)
    record, claimed = _claim(token, key, request_print)
    if not claimed:
        if record.fingerprint != request_print:
            raise ApiError(
                422,
                "idempotency_key_reused",
                _(
                    "This Idempotency-Key was already used for a different request. "
                    "Use a new key for each new request."
                ),
                fields={"Idempotency-Key": _("Already used for a different request.")},
            )
        if record.completed_at is None:
            raise _in_progress()
        return _answer(record.status_code, record.body, replayed=True)
    try:
        status, body = work()
    except ApiError as error:
        if error.status >= 500 or error.status == 429:
            IdempotentRequest.objects.filter(pk=record.pk).delete()
            raise
        status, body = error.status, error_body(error.code, error.message, error.fields)
    except BaseException:
        IdempotentRequest.objects.filter(pk=record.pk).delete()
        raise
    body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
    record.status_code, record.body, record.completed_at = status, body, timezone.now()
    record.save(update_fields=["status_code", "body", "completed_at"])
    return _answer(status, body, replayed=False)
