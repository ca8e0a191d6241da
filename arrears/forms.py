from django import forms

from arrears.selectors import SORTS
from casework.core.forms import Form


class EmployerListForm(Form):
    """The query string of the employer pages; anything unexpected falls back to the default."""

    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)
