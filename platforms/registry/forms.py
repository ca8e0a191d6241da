from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from casework.organisation.validators import normalise_mainland_mobile
from platforms.choices import CompanyKind, Industry
from platforms.models import Company
from platforms.validators import validate_uscc


class CompanySearchForm(Form):
    q = forms.CharField(label=_("Name or credit code"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *CompanyKind.choices]
    )


class CompanyForm(Form):
    name = forms.CharField(label=_("Registered name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=CompanyKind.choices)
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        required=False,
        max_length=30,
        help_text=_("18 characters, on the business licence."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=100, required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Contracts for"),
        queryset=Company.objects.order_by("kind", "name"),
        required=False,
        empty_label=_("Nobody: top of its chain"),
        help_text=_("The company one level up the chain, e.g. the platform of an operator."),
    )
    response_working_days = forms.IntegerField(
        label=_("Response time (working days)"), min_value=1, max_value=30, initial=3
    )

    def clean_credit_code(self) -> str:
        code = "".join(self.cleaned_data["credit_code"].split()).upper()
        if code:
            validate_uscc(code)
        return code


class InvitationForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def clean_mobile(self) -> str:
        return normalise_mainland_mobile(self.cleaned_data["mobile"])


class AcceptInvitationForm(Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("You sign in with it. Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("The two passwords differ."))
        return data
