"""The dashboard's filters: a date range (or a month, quarter or year preset), a unit below
the supervisor's, a category, a platform or operator.

The unit is checked against the supervisor's scope by the selector (a unit they do not
oversee answers 404, like a case they may not see); the form only checks the shape.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import Category
from casework.core.forms import Form

PRESETS = {
    "month": _("This month"),
    "quarter": _("This quarter"),
    "year": _("This year"),
    "custom": _("Chosen dates"),
}
# A longer range would draw hundreds of weekly bars and scan years of rows for one page.
MAX_RANGE_DAYS = 3 * 366


@dataclass(frozen=True)
class MeasureFilters:
    start: date
    end: date  # inclusive
    preset: str = "month"
    unit_id: int | None = None
    category: str = ""
    company_id: int | None = None

    def query(self, **extra) -> str:
        """The filters as the dashboard's own query string (for downloads and the report)."""
        from urllib.parse import urlencode

        params = {"date_from": f"{self.start:%Y-%m-%d}", "date_to": f"{self.end:%Y-%m-%d}"}
        if self.unit_id:
            params["unit"] = self.unit_id
        if self.category:
            params["category"] = self.category
        if self.company_id:
            params["company"] = self.company_id
        params.update(extra)
        return urlencode(params)


def preset_range(preset: str, today: date) -> tuple[date, date]:
    if preset == "year":
        return today.replace(month=1, day=1), today
    if preset == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        return today.replace(month=first_month, day=1), today
    return today.replace(day=1), today


def month_range(month: date) -> tuple[date, date]:
    """The first and last day of the month that `month` falls in."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


class MeasureFilterForm(Form):
    preset = forms.ChoiceField(label=_("Period"), choices=list(PRESETS.items()), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *Category.choices], required=False
    )
    company = forms.IntegerField(label=_("Platform or operator"), required=False, min_value=1)

    def __init__(self, *args, unit_choices=(), company_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The options are those the supervisor may choose; the selector checks the ids again.
        self.fields["unit"].widget = forms.Select(choices=[("", _("All")), *unit_choices])
        self.fields["company"].widget = forms.Select(choices=[("", _("All")), *company_choices])
        self.company_ids = {pk for pk, _name in company_choices}

    def clean_company(self):
        company = self.cleaned_data.get("company")
        if company is not None and company not in self.company_ids:
            raise forms.ValidationError(_("Choose a platform or operator from the list."))
        return company

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        if start and end and (end - start).days > MAX_RANGE_DAYS:
            raise forms.ValidationError(_("Choose a range of at most three years."))
        return data

    def filters(self, *, today: date) -> MeasureFilters:
        """The cleaned filters; the preset's range unless both dates are given."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        preset = data.get("preset") or "month"
        start, end = data.get("date_from"), data.get("date_to")
        if start and not end:  # from a day until today (or that day, if it is ahead)
            end = max(start, today)
            end = min(end, start + timedelta(days=MAX_RANGE_DAYS))
        elif end and not start:  # the month that ends the range
            start = end.replace(day=1)
        if start and end:
            preset = "custom"
        else:
            preset = "month" if preset == "custom" else preset
            start, end = preset_range(preset, today)
        return MeasureFilters(
            start=start,
            end=end,
            preset=preset,
            unit_id=data.get("unit"),
            category=data.get("category") or "",
            company_id=data.get("company"),
        )
