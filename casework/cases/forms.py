"""Forms of the case pages: queue filters and case actions (the intake has its own)."""

from decimal import Decimal

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import CaseState, Category, ReferralTarget
from casework.cases.evidence import check_evidence_file
from casework.cases.selectors import QUEUES
from casework.organisation.choices import UnitKind
from casework.organisation.models import Unit
from platforms.choices import CompanyKind
from platforms.models import Company

MAX_CLAIM = Decimal("10000000.00")


def jurisdictions():
    return Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.PARK]).order_by("kind", "name")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once, each checked by content (casework.evidence)."""

    widget = MultipleFileInput(attrs={"accept": "image/*,application/pdf"})

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_evidence_file(super().clean(upload, initial)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class QueueFilterForm(forms.Form):
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


class TransitionForm(forms.Form):
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


class AssignForm(forms.Form):
    assignee = forms.IntegerField(required=False, min_value=1)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(label=_("Visible to the worker"), required=False)


class WorkerMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the coordinator"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = EvidenceField(label=_("Add screenshots or documents"), required=False)


class WithdrawForm(forms.Form):
    expected_state = forms.ChoiceField(choices=CaseState.choices)
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"), max_length=2000, required=False
    )
