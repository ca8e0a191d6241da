"""The `<id:...>` path converter: every number in a URL of Anxin is a row id or a step.

Django's `<int:...>` matches any run of digits, and 9223372036854775808 (2**63) then overflows
SQLite (a 500). `<id:...>` matches 1 to 2**63 - 1 only; anything else is no match, so a 404.
Importing this module registers the converter; every urls.py imports it (a test checks that no
URL pattern uses `int`).
"""

from django.urls import register_converter

from casework.core.bounds import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)  # no match: the resolver tries the next pattern, then 404s
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
