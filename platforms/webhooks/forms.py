from django import forms
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from platforms.webhooks.addresses import MAX_URL_LENGTH
from platforms.webhooks.choices import EventType


class EndpointForm(Form):
    company = forms.TypedChoiceField(label=_("Company"), coerce=int)
    url = forms.CharField(
        label=_("Address of your receiver"),
        max_length=MAX_URL_LENGTH,
        help_text=_(
            "An https:// address on the public internet, e.g. https://hooks.example.com/anxin"
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What to send to this address."),
    )

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = [(c.pk, c.name) for c in companies]
        if len(companies) == 1:
            self.fields["company"].initial = companies[0].pk
