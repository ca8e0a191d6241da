"""The hostile values, and how to send them and check what a form cleaned."""

import unicodedata
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote_from_bytes

from django import forms
from django.apps import apps
from django.contrib.messages import constants
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from casework.core.bounds import MAX_DATE, MAX_ID, MIN_DATE, MIN_INT

EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# Hostile values: str are sent UTF-8 encoded, bytes as they are (invalid UTF-8 included).
HOSTILE: list[str | bytes] = [
    "",
    " ",
    "x" * 100_000,
    "长" * 30_000,
    "\x00",
    "a\x00b",
    "\x07",
    "\x1b[2J",
    "\x7f",
    "\u0085",
    "\x0b",
    "\r\n",
    "\u202eabc\u200f",
    "\ufeff",
    "\u200b",
    "😀" * 60,
    "👩‍👩‍👧‍👦",
    "１２３",
    "２０２６-０４-０１",
    "²",
    "٣",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999",
    "0",
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    "0.001",
    "1e12",
    "1000000000000.00",
    "-100.00",
    "100.005",
    "-Infinity",
    "sNaN",
    "0001-01-01",
    "9999-12-31",
    "1999-12-31",
    "2101-01-01",
    "2026-02-30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "10000-01-01T00:00",
    "2026-06-15T25:61",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n{0}",
    "on",
    "galaxy",
    "../../etc/passwd",
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b"\xc0\x80",
    b"\xf4\x90\x80\x80",
]
EXTRA_KEYS = ["admin", "is_superuser", "state", "__proto__", "id", "pk", "x" * 300, "\u202ekey"]

values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
)


def _safe_text(value: str, *, multiline: bool) -> bool:
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs" or (category == "Cc" and not (multiline and char in "\t\n\r")):
            return False
    return True


def assert_cleaned_is_safe(form: forms.BaseForm) -> None:
    for name, value in form.cleaned_data.items():
        bound = form.fields.get(name)
        multiline = bound is not None and isinstance(bound.widget, forms.Textarea)
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if isinstance(item, str):
                assert _safe_text(item, multiline=multiline), (type(form).__name__, name, item)
            elif isinstance(item, datetime):
                assert MIN_DATE <= timezone.localtime(item).date() <= MAX_DATE, (name, item)
            elif isinstance(item, date):
                assert MIN_DATE <= item <= MAX_DATE, (type(form).__name__, name, item)
            elif isinstance(item, Decimal):
                # No amount is NaN, infinite, or a trillion yuan.
                assert item.is_finite() and abs(item) < 10**12, (type(form).__name__, name, item)
            elif isinstance(item, int) and not isinstance(item, bool):
                assert MIN_INT <= item <= MAX_ID, (type(form).__name__, name, item)


def decode(value: str | bytes) -> str:
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def row_counts() -> tuple:
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed})
    counts = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def encode(pairs: list[tuple[str, str | bytes]]) -> str:
    def part(value) -> str:
        raw = value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")
        return quote_from_bytes(raw, safe="")

    return "&".join(f"{part(k)}={part(v)}" for k, v in pairs)


BOUND = {"forms": 0, "examples": 0, "valid": 0}
FIGURES = {"pages": 0, "examples": 0, "refused": 0, "accepted": 0}


def refused(response, method: str) -> bool:
    if response.status_code in {400, 403, 404, 405, 413}:
        return True
    if method == "post" and response.status_code == 200:
        context_forms = [
            v
            for ctx in (response.context or [])
            for v in ctx.flatten().values()
            if isinstance(v, forms.BaseForm) and v.is_bound
        ]
        return any(f.errors for f in context_forms)
    if response.status_code == 302:
        # Only what this request said (messages of earlier requests wait in the session).
        added = getattr(response.wsgi_request._messages, "_queued_messages", [])
        return any(m.level >= constants.ERROR for m in added)
    return False
