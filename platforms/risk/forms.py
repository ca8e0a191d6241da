from django import forms
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from platforms.choices import CompanyKind
from platforms.risk.choices import RiskLevel


class RiskFilterForm(Form):
    level = forms.ChoiceField(
        label=_("Risk level"),
        required=False,
        choices=[("", _("Every level at risk")), *RiskLevel.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *CompanyKind.choices]
    )
    street = forms.TypedChoiceField(
        label=_("Street or park"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, streets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [("", _("All streets and parks")), *streets]
