from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from casework.organisation.validators import normalise_mainland_mobile


class MobileForm(Form):
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("We will text you a 6-digit code."),
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel-national", "placeholder": "13800138000"}
        ),
    )

    def clean_mobile(self) -> str:
        return normalise_mainland_mobile(self.cleaned_data["mobile"])


class CodeForm(Form):
    code = forms.CharField(
        label=_("6-digit code"),
        min_length=6,
        max_length=6,
        validators=[
            RegexValidator(r"^\d{6}$", _("Enter the 6 digits from the text message."), "format")
        ],
        error_messages={
            "min_length": _("Enter the 6 digits from the text message."),
            "max_length": _("Enter the 6 digits from the text message."),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d{6}"}
        ),
    )


class StaffSignInForm(Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LanguageForm(Form):
    language = forms.ChoiceField(choices=[("zh-hans", "简体中文"), ("en", "English")])
    next = forms.CharField(required=False, max_length=2000)
