from django import forms
from django.utils.translation import gettext_lazy as _

from arrears.choices import PaymentMethod, PaymentSource
from arrears.selectors import SORTS
from casework.core.forms import Form


class DateInput(forms.DateInput):
    input_type = "date"


class EmployerListForm(Form):
    """The query string of the employer pages; anything unexpected falls back to the default."""

    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)


# The ledger of a case ------------------------------------------------------------------------
# Amounts are taken as text: the services say what is wrong with them in plain words.


class VerifiedAmountForm(Form):
    amount = forms.CharField(label=_("Verified amount (yuan)"), max_length=30)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), widget=DateInput)
    orders = forms.CharField(
        label=_("Orders counted"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Order numbers or how many orders, and the pay per order."),
    )
    deductions = forms.CharField(
        label=_("Deductions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Fines or deductions taken off, and which of them were unlawful."),
    )
    evidence = forms.TypedMultipleChoiceField(
        label=_("Evidence relied on"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a verified amount is changed."),
    )

    def __init__(self, *args, evidence=(), **kwargs):
        # The ledger page also shows the payment form, whose amount would share id_amount:
        # this form's labels would then point at the payment's field.
        kwargs.setdefault("auto_id", "verified_%s")
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(e.pk, e.original_name) for e in evidence]


class PaymentForm(Form):
    amount = forms.CharField(label=_("Amount paid (yuan)"), max_length=30)
    paid_on = forms.DateField(label=_("Date paid"), widget=DateInput)
    method = forms.ChoiceField(label=_("How it was paid"), choices=PaymentMethod.choices)
    source = forms.ChoiceField(
        label=_("Who says it was paid"), choices=PaymentSource.choices, initial="staff"
    )
    instalment = forms.TypedChoiceField(
        label=_("Instalment it pays"), required=False, coerce=int, empty_value=None
    )
    proof = forms.FileField(
        label=_("Proof (photo or PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, instalments=(), **kwargs):
        """`instalments=None`: a posted form that takes any instalment number, read before the
        case is: the service checks that it is one of the case's, under its lock."""
        super().__init__(*args, **kwargs)
        if instalments is None:
            self.fields["instalment"] = forms.IntegerField(
                label=_("Instalment it pays"), required=False, min_value=1, max_value=2**63 - 1
            )
            return
        self.fields["instalment"].choices = [("", _("None"))] + [
            (row.instalment.pk, f"{row.due_on:%Y-%m-%d} · ¥{row.amount:,.2f}")
            for row in instalments
        ]


class ReverseForm(Form):
    reason = forms.CharField(label=_("Why is this payment corrected?"), max_length=200)


class ConfirmForm(Form):
    received = forms.TypedChoiceField(
        choices=[("yes", _("Received")), ("no", _("Not received"))],
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class PaymentOrderForm(Form):
    deadline = forms.DateField(label=_("Pay by"), widget=DateInput)
    reference = forms.CharField(label=_("Document number"), required=False, max_length=100)


class CompensationForm(Form):
    rate = forms.IntegerField(
        label=_("Rate of the additional compensation (%)"), min_value=50, max_value=100
    )
