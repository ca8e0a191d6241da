"""Forms of the case pages: queue filters and case actions (the intake has its own)."""

from decimal import Decimal

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import CaseState, ReferralTarget
from casework.cases.models import SeenCase
from casework.core.forms import Form
from casework.core.uploads import EvidenceField
from casework.organisation.choices import UnitKind
from casework.organisation.models import Unit

MAX_CLAIM = Decimal("10000000.00")


def jurisdictions():
    return Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.PARK]).order_by("kind", "name")


class SeenField(forms.CharField):
    """The hidden `seen` field of a case-changing form: what the page showed of the case
    (casework/cases/models/seen.py). Cleaned to a SeenCase, or None when not posted."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=100, **kwargs)

    def clean(self, value):
        return SeenCase.parse(super().clean(value))


class TransitionForm(Form):
    expected_state = forms.ChoiceField(choices=CaseState.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    referral_target = forms.ChoiceField(
        label=_("Referred to"), choices=[("", "—"), *ReferralTarget.choices], required=False
    )
    referral_reference = forms.CharField(label=_("Their reference"), max_length=100, required=False)
    waiver = forms.CharField(
        label=_("Waiver of what is outstanding"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(Form):
    assignee = forms.IntegerField(required=False, min_value=1)
    # Who the page showed as the assignee (0: nobody): a stale page is refused, not obeyed.
    expected_assignee = forms.IntegerField(required=False, min_value=0)
    seen = SeenField()


class NoteForm(Form):
    body = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(label=_("Visible to the worker"), required=False)
    seen = SeenField()


class WorkerMessageForm(Form):
    body = forms.CharField(
        label=_("Message to the coordinator"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = EvidenceField(label=_("Add screenshots or documents"), required=False)


class WithdrawForm(Form):
    expected_state = forms.ChoiceField(choices=CaseState.choices)
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"), max_length=2000, required=False
    )


_FIELDS_HTML: dict[tuple, dict[str, str]] = {}


def unbound_fields_html(form_class: type[forms.Form]) -> dict[str, str]:
    """Each field of an empty form as `partials/field.html` shows it, rendered once per
    language: the same for every reader, and the case page's five widget renders (each a
    template render of its own) were a tenth of its time."""
    key = (form_class, get_language())
    html = _FIELDS_HTML.get(key)
    if html is None:
        form = form_class()
        html = {
            name: render_to_string("partials/field.html", {"field": form[name]})
            for name in form.fields
        }
        _FIELDS_HTML[key] = html
    return html
