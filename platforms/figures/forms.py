"""The month range and order of a figures page, read from its query string."""

import re
import unicodedata
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from platforms.figures.months import MAX_MONTHS, MonthRange, add_months
from platforms.figures.selectors import COLUMNS, OUTCOMES

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
FIRST_YEAR, LAST_YEAR = 2000, 2100


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker sends that), as its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})
    default_error_messages = {"invalid": _("Enter a month as year-month, e.g. 2026-01.")}

    def clean(self, value):
        # The text is checked as text first (length, control characters), then read.
        value = super().clean(value)
        if not value:
            return None
        # NFKC: a month typed with fullwidth digits (２０２６-０３) is the same month.
        match = _MONTH.fullmatch(unicodedata.normalize("NFKC", value).strip())
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(match[1]), int(match[2])
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date(year, month, 1)


class FiguresFilterForm(Form):
    since = MonthField(label=_("From month"), required=False, max_length=7)
    until = MonthField(label=_("To month"), required=False, max_length=7)
    sort = forms.ChoiceField(choices=[(key, key) for key in COLUMNS], required=False)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until:
            if since > until:
                raise forms.ValidationError(_("The first month comes after the last."))
            span = (until.year - since.year) * 12 + until.month - since.month + 1
            if span > MAX_MONTHS:
                raise forms.ValidationError(_("Choose at most %(n)d months.") % {"n": MAX_MONTHS})
        return data

    def month_range(self) -> MonthRange:
        """The chosen months; the last twelve when none or a wrong one was chosen."""
        default = MonthRange.default()
        if not self.is_bound or not self.is_valid():
            return default
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        if since and until:
            return MonthRange(since, until)
        if since:
            return MonthRange(since, max(since, min(default.last, add_months(since, 11))))
        if until:
            return MonthRange(add_months(until, 1 - 12), until)
        return default

    def sort_key(self) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("sort") or ""
        return ""


class FigureCasesForm(FiguresFilterForm):
    outcome = forms.ChoiceField(choices=[(key, key) for key in OUTCOMES], required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)
