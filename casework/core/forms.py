"""What every form of Anxin refuses, whatever its fields: the base `Form` and its checks.

Every form in the project derives from `Form` (a test checks it). Before validating, it walks
its fields, including those a form adds in `__init__`, and adds:

- to every date and datetime field, bounds (`MIN_DATE`..`MAX_DATE` unless the field sets its
  own `date_bounds`): a year 1 or 9999 would otherwise reach the database (a BC timestamp on
  PostgreSQL, an overflow when a selector adds a day);
- to every text field, a refusal of control characters (tab, newline and carriage return are
  allowed in multi-line text only) and of lone surrogates: NUL breaks PostgreSQL's text and
  JSON columns, the others are never typed by a person and make text that prints wrongly;
- to every integer field, the range of a 64-bit integer (ids beyond it overflow SQLite).

After validating, a field's errors are said once each: Django runs every check of a field, and
two checks that fail the same input with the same words (a 5-digit sign-in code is too short
and not 6 digits) listed the message twice. Django's own messages read in plain Chinese
through the project's catalog (casework.core.django_words).

Services check dates again with `casework.core.bounds.check_date_bounds`.
"""

import unicodedata
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from casework.core.bounds import (
    MAX_DATE,
    MAX_ID,
    MIN_DATE,
    MIN_INT,
    date_bounds_message,
    date_out_of_bounds,
)

LINE_BREAKS = frozenset("\t\n\r")


@deconstructible
class DateBoundsValidator:
    code = "date_bounds"

    def __init__(self, low: date = MIN_DATE, high: date = MAX_DATE):
        self.low, self.high = low, high

    def __call__(self, value) -> None:
        if date_out_of_bounds(value, low=self.low, high=self.high):
            raise ValidationError(date_bounds_message(self.low, self.high), code=self.code)

    def __eq__(self, other):
        return isinstance(other, DateBoundsValidator) and (self.low, self.high) == (
            other.low,
            other.high,
        )


def control_characters(value: str, *, multiline: bool) -> list[str]:
    """The characters of `value` no person types: C0/C1 controls (but line breaks in
    multi-line text) and lone surrogates."""
    found = []
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs" or (category == "Cc" and not (multiline and char in LINE_BREAKS)):
            found.append(char)
    return found


@deconstructible
class NoControlCharactersValidator:
    code = "control_characters"

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if isinstance(value, str) and control_characters(value, multiline=self.multiline):
            raise ValidationError(
                _("Remove the invisible control characters from this text."), code=self.code
            )

    def __eq__(self, other):
        return isinstance(other, NoControlCharactersValidator) and self.multiline == other.multiline


class IntegerBoundsValidator:
    code = "integer_bounds"

    def __call__(self, value) -> None:
        if isinstance(value, int) and not MIN_INT <= value <= MAX_ID:
            raise ValidationError(_("Enter a smaller number."), code=self.code)


def _is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea) or getattr(field, "multiline", False)


def harden_field(field: forms.Field) -> None:
    """Add the project's checks to one field (once)."""
    if getattr(field, "_anxin_hardened", False):
        return
    field._anxin_hardened = True
    if isinstance(field, forms.DateField | forms.DateTimeField):
        low, high = getattr(field, "date_bounds", (MIN_DATE, MAX_DATE))
        field.validators.append(DateBoundsValidator(low, high))
        attrs = field.widget.attrs
        if isinstance(field, forms.DateTimeField):
            attrs.setdefault("min", f"{low:%Y-%m-%d}T00:00")
            attrs.setdefault("max", f"{high:%Y-%m-%d}T23:59")
        else:
            attrs.setdefault("min", f"{low:%Y-%m-%d}")
            attrs.setdefault("max", f"{high:%Y-%m-%d}")
    elif isinstance(field, forms.IntegerField):
        field.validators.append(IntegerBoundsValidator())
    elif isinstance(field, forms.CharField):
        field.validators.append(NoControlCharactersValidator(multiline=_is_multiline(field)))


class HardenedFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            harden_field(field)

    def full_clean(self):
        # Again: fields added after __init__ (a form's own __init__ adds some) get the checks too.
        for field in self.fields.values():
            harden_field(field)
        super().full_clean()
        _drop_repeated_errors(self._errors or {})


def _drop_repeated_errors(errors: dict) -> None:
    for error_list in errors.values():
        seen, kept = set(), []
        for error in error_list.as_data():
            words = " ".join(str(message) for message in error)
            if words not in seen:
                seen.add(words)
                kept.append(error)
        error_list.data[:] = kept


class Form(HardenedFormMixin, forms.Form):
    """The base of every form in Anxin."""
