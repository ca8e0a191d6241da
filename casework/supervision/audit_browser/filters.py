"""The audit browser's filters: a form read from the query string, and the query it makes on
the chain's index. People and companies are typed (part of a name, a user name or a mobile
number) rather than picked from a list of thousands."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.audit.tables import history_models
from casework.core.forms import Form

ACTIONS = (("+", _("Created")), ("~", _("Changed")), ("-", _("Deleted")))
# Dates a bureau could have records for; anything else is a typing error, not a query.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def model_choices() -> list[tuple[str, str]]:
    """Each tracked model by its name in the reader's language, keyed by its history table."""
    found = [
        (model._meta.db_table, str(model.instance_type._meta.verbose_name_plural))
        for model in history_models()
    ]
    return sorted(found, key=lambda choice: choice[1])


class AuditFilterForm(Form):
    person = forms.CharField(
        label=_("Changed by"),
        required=False,
        max_length=100,
        help_text=_("Part of a name, a user name or a mobile number."),
    )
    model = forms.ChoiceField(label=_("Record type"), required=False)
    case = forms.CharField(
        label=_("Case reference"), required=False, max_length=20, help_text=_("e.g. BJ-2026-000123")
    )
    company = forms.CharField(label=_("Company"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *ACTIONS]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("Every record type")), *model_choices()]

    def clean(self):
        data = super().clean()
        for name in ("person", "case", "company"):
            value = data.get(name) or ""
            if "\x00" in value or any(ord(c) < 32 for c in value):
                self.add_error(name, _("Remove the control characters from this field."))
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Enter a date between 2000 and 2100."))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def audit_query(self) -> "AuditQuery":
        """The query of a valid form (an invalid one filters nothing out: call is_valid)."""
        data = self.cleaned_data if self.is_bound and not self.errors else {}
        return AuditQuery(
            person=(data.get("person") or "").strip(),
            model=data.get("model") or "",
            case=(data.get("case") or "").strip(),
            company=(data.get("company") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            action=data.get("action") or "",
        )


@dataclass(frozen=True)
class AuditQuery:
    person: str = ""
    model: str = ""
    case: str = ""
    company: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""

    def since(self) -> dt.datetime | None:
        if self.date_from is None:
            return None
        return dt.datetime.combine(self.date_from, dt.time.min, timezone.get_default_timezone())

    def until(self) -> dt.datetime | None:
        """The moment after the last day (Beijing time)."""
        if self.date_to is None:
            return None
        day_after = self.date_to + dt.timedelta(days=1)
        return dt.datetime.combine(day_after, dt.time.min, timezone.get_default_timezone())

    def in_words(self) -> str:
        """The filter as a supervisor typed it, for the export's record."""
        labels = dict(model_choices())
        actions = {key: str(label) for key, label in ACTIONS}
        parts = [
            f"{_('Changed by')}: {self.person}" if self.person else "",
            f"{_('Record type')}: {labels.get(self.model, self.model)}" if self.model else "",
            f"{_('Case reference')}: {self.case}" if self.case else "",
            f"{_('Company')}: {self.company}" if self.company else "",
            f"{_('From')}: {self.date_from:%Y-%m-%d}" if self.date_from else "",
            f"{_('To')}: {self.date_to:%Y-%m-%d}" if self.date_to else "",
            f"{_('Action')}: {actions.get(self.action, '')}" if self.action else "",
        ]
        return "; ".join(p for p in parts if p) or str(_("no filter"))

    def as_params(self) -> dict[str, str]:
        """The filter as query-string parameters (for the next page's and the export's links)."""
        params = {
            "person": self.person,
            "model": self.model,
            "case": self.case,
            "company": self.company,
            "date_from": f"{self.date_from:%Y-%m-%d}" if self.date_from else "",
            "date_to": f"{self.date_to:%Y-%m-%d}" if self.date_to else "",
            "action": self.action,
        }
        return {k: v for k, v in params.items() if v}
