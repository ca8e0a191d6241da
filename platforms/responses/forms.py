"""The portal's answering forms. The services check everything again (the API calls them
too); the forms turn the page's fields into the services' values and keep what was typed."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from casework.core.uploads import EvidenceField
from platforms.choices import ResponseKind

PLAN_ROWS = 6
MONEY_WIDGET = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0.01"})
DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def _money_field(label):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("10000000.00"),
        max_digits=12,
        decimal_places=2,
        widget=MONEY_WIDGET,
    )


class ResponseForm(Form):
    kind = forms.ChoiceField(
        label=_("Our answer"), choices=ResponseKind.choices, widget=forms.RadioSelect
    )
    amount = _money_field(_("Amount we will pay (yuan)"))
    pay_by = forms.DateField(label=_("We will pay by"), required=False, widget=DATE_WIDGET)
    reasons = forms.CharField(
        label=_("Reasons and remarks"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you dispute the complaint: say what you contest and why."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, PLAN_ROWS + 1):
            self.fields[f"plan_date_{n}"] = forms.DateField(
                label=_("Instalment %(n)d: date") % {"n": n}, required=False, widget=DATE_WIDGET
            )
            self.fields[f"plan_amount_{n}"] = _money_field(
                _("Instalment %(n)d: amount (yuan)") % {"n": n}
            )

    def plan_rows(self):
        """The plan's rows as bound fields, for the template."""
        return [
            (n, self[f"plan_date_{n}"], self[f"plan_amount_{n}"]) for n in range(1, PLAN_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        rows = []
        for n in range(1, PLAN_ROWS + 1):
            day, amount = data.get(f"plan_date_{n}"), data.get(f"plan_amount_{n}")
            if day is None and amount is None:
                continue
            if day is None or amount is None:
                if not self.has_error(f"plan_date_{n}") and not self.has_error(f"plan_amount_{n}"):
                    self.add_error(
                        f"plan_date_{n}", ValidationError(_("Give both the date and the amount."))
                    )
                continue
            rows.append((day, amount))
        data["instalments"] = rows
        return data


class EmployerEvidenceForm(Form):
    files = EvidenceField(label=_("Files (photos or PDF)"))


class QuestionForm(Form):
    question = forms.CharField(
        label=_("Your question to the bureau"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
