from django import forms
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import Category
from casework.core.forms import Form

QUEUE_LABELS = {
    "awaiting": _("Awaiting our response"),
    "overdue": _("Overdue"),
    "answered": _("Answered"),
    "all": _("All"),
}


class PortalFilterForm(Form):
    queue = forms.ChoiceField(label=_("Show"), required=False, choices=list(QUEUE_LABELS.items()))
    q = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=40,
        help_text=_("The whole reference or its number, e.g. 000004."),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
