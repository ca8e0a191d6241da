"""The queue's filters."""

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import CaseState, Category
from casework.cases.forms import jurisdictions
from casework.core.forms import Form
from casework.queues.selectors import QUEUES
from platforms.choices import CompanyKind
from platforms.models import Company


class QueueFilterForm(Form):
    queue = forms.ChoiceField(choices=[(q, q) for q in QUEUES], required=False)
    state = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Open cases")), *CaseState.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *Category.choices], required=False
    )
    platform = forms.ModelChoiceField(
        label=_("Platform"),
        queryset=Company.objects.filter(kind=CompanyKind.PLATFORM).order_by("name"),
        required=False,
        empty_label=_("All"),
    )
    street = forms.ModelChoiceField(
        label=_("Street or park"), queryset=jurisdictions(), required=False, empty_label=_("All")
    )
    date_from = forms.DateField(
        label=_("Filed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Filed to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(
        label=_("Search"),
        help_text=_("Reference, mobile number or name"),
        required=False,
        max_length=50,
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        choices=[
            ("new", _("Newest first")),
            ("old", _("Oldest first")),
            ("updated", _("Recently changed")),
        ],
        required=False,
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = jurisdictions()
        # The platforms and streets change a few times a year, the queue is loaded all day:
        # their options are cached for a minute. Validation still checks the queryset.
        for name in ("platform", "street"):
            field = self.fields[name]
            options = cache.get_or_set(
                f"queue-filter-options:{name}",
                lambda field=field: [(obj.pk, str(obj)) for obj in field.queryset],
                timeout=60,
            )
            field.choices = [("", field.empty_label), *options]
