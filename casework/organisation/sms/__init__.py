"""Pluggable SMS sending, in the style of Django's e-mail backends.

`ANXIN_SMS_BACKEND` names a class with `send_messages(messages) -> int`:
- casework.sms.backends.console.SmsBackend: prints to stdout (make run)
- casework.sms.backends.locmem.SmsBackend: appends to casework.sms.outbox (tests)
- casework.sms.backends.database.SmsBackend: stores SmsMessage rows admins can read
A real gateway is one more class with the same method.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

# The in-memory outbox filled by the locmem backend; tests read and clear it.
outbox: list["Sms"] = []


@dataclass(frozen=True)
class Sms:
    to: str
    body: str


def get_backend(path: str | None = None):
    return import_string(path or settings.ANXIN_SMS_BACKEND)()


def send_sms(*, to: str, body: str) -> int:
    """Send one text now. Callers inside a transaction use the on-commit helper instead."""
    return get_backend().send_messages([Sms(to=to, body=body)])
