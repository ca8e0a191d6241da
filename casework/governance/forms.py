"""Forms of governance work. Choices are built for the user (their units, their colleagues);
the services check every id again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from casework.governance.access import units_for_recording
from casework.governance.choices import CheckItem, ScreeningManner, ScreeningStatus
from casework.governance.services import MAX_CORRECTION_DAYS, MAX_REACHED, inspector_choices
from platforms.models import Company

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


def _company_choices(blank: str | None = None) -> list:
    choices = [(c.pk, c.name) for c in Company.objects.order_by("name", "pk").only("pk", "name")]
    return [("", blank), *choices] if blank else choices


def _unit_choices(user) -> list:
    if user is None:  # bound without a user (the hostile-input walk): nothing to choose
        return []
    return [(u.pk, u.name) for u in units_for_recording(user)]


class ScreeningFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ScreeningStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Corrections overdue only"), required=False)


class ScreeningForm(Form):
    company = forms.TypedChoiceField(label=_("Company"), coerce=int)
    unit = forms.TypedChoiceField(label=_("Street or park"), coerce=int)
    screened_on = forms.DateField(label=_("Screened on"), **DATE)
    manner = forms.ChoiceField(
        label=_("Manner"), choices=ScreeningManner.choices, widget=forms.RadioSelect
    )
    inspectors = forms.TypedMultipleChoiceField(
        label=_("Inspectors"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    failed = forms.MultipleChoiceField(
        label=_("Findings: the items that are not met"),
        required=False,
        choices=CheckItem.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave every box empty when the company meets the whole checklist."),
    )
    finding_note = forms.CharField(
        label=_("What was found"), required=False, max_length=500, widget=forms.Textarea
    )
    correction_days = forms.IntegerField(
        label=_("Working days to correct"),
        required=False,
        min_value=1,
        max_value=MAX_CORRECTION_DAYS,
        help_text=_("Counted on the official calendar from the day after the screening."),
    )
    campaign = forms.TypedChoiceField(
        label=_("Campaign"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(
        label=_("Remarks"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, user=None, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = _company_choices(_("Choose a company"))
        self.fields["unit"].choices = _unit_choices(user)
        people = inspector_choices(user) if user is not None else []
        self.fields["inspectors"].choices = [(u.pk, u.name) for u in people]
        self.fields["campaign"].choices = [("", _("None")), *((c.pk, c.name) for c in campaigns)]

    def clean(self):
        data = super().clean()
        if data.get("failed") and not data.get("correction_days"):
            self.add_error("correction_days", _("Give the days to correct the findings."))
        return data


class ReinspectionForm(Form):
    reinspected_on = forms.DateField(label=_("Re-inspected on"), **DATE)
    corrected = forms.MultipleChoiceField(
        label=_("Findings now corrected"),
        required=False,
        choices=CheckItem.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Remarks"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, open_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the open findings are offered; any item is accepted, and the service refuses
        # one that is no longer open, in words.
        self.fields["corrected"].widget.choices = [
            (item, label) for item, label in CheckItem.choices if item in open_items
        ]


class CampaignForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.TypedChoiceField(label=_("Organised by"), coerce=int)
    starts_on = forms.DateField(label=_("Starts"), **DATE)
    ends_on = forms.DateField(label=_("Ends"), **DATE)
    targets = forms.TypedMultipleChoiceField(
        label=_("Companies to screen"), coerce=int, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(user)
        self.fields["targets"].choices = _company_choices()


class CampaignResultsForm(Form):
    results = forms.CharField(label=_("Results"), max_length=5000, widget=forms.Textarea)


class OutreachForm(Form):
    unit = forms.TypedChoiceField(label=_("Organised by"), coerce=int)
    held_on = forms.DateField(label=_("Held on"), **DATE)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    companies_reached = forms.IntegerField(
        label=_("Companies reached"), min_value=0, max_value=MAX_REACHED
    )
    workers_reached = forms.IntegerField(
        label=_("Workers reached"), min_value=0, max_value=MAX_REACHED
    )
    note = forms.CharField(
        label=_("Remarks"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(user)


class RoundTableForm(Form):
    unit = forms.TypedChoiceField(label=_("Organised by"), coerce=int)
    held_on = forms.DateField(label=_("Held on"), **DATE)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    participants = forms.CharField(label=_("Participants"), max_length=2000, widget=forms.Textarea)
    minutes = forms.CharField(label=_("Minutes"), max_length=20000, widget=forms.Textarea)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(user)


class CommitmentForm(Form):
    party = forms.CharField(label=_("Who promised"), max_length=200)
    company = forms.TypedChoiceField(
        label=_("Company"), coerce=int, required=False, empty_value=None
    )
    promise = forms.CharField(label=_("What was promised"), max_length=500)
    due_on = forms.DateField(label=_("Due"), **DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = _company_choices(_("No company"))


class CommitmentKeptForm(Form):
    kept_on = forms.DateField(label=_("Kept on"), **DATE)
