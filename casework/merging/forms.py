"""Forms of the merge and split pages."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import CaseState, Category
from casework.core.forms import Form
from casework.merging.services import MERGED, SURVIVOR

MAX_AMOUNT = Decimal("10000000.00")


class MergeChooseForm(Form):
    """Which case to merge with: typed by reference or picked from the worker's open cases,
    and which of the two survives."""

    reference = forms.CharField(
        label=_("Reference of the other case"),
        max_length=20,
        required=False,
        help_text=_("For example BJ-2026-000123."),
    )
    other = forms.TypedChoiceField(
        label=_("Or choose one of the worker's other open cases"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    keep = forms.ChoiceField(
        label=_("Which case continues?"),
        choices=[
            ("this", _("This case continues; the other is merged into it")),
            ("other", _("The other case continues; this one is merged into it")),
        ],
        initial="this",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [("", "—")] + [
            (case.pk, f"{case.reference} · {case.category_label}") for case in candidates
        ]

    def clean(self):
        data = super().clean()
        if not data.get("reference", "").strip() and not data.get("other"):
            raise forms.ValidationError(_("Type the other case's reference or choose it."))
        return data


class MergeConfirmForm(Form):
    """Per field, whose value the surviving case keeps; the reason; the state seen."""

    expected_state = forms.ChoiceField(choices=CaseState.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why merge them"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, field_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in field_names:
            self.fields[f"keep_{name}"] = forms.ChoiceField(
                choices=[(SURVIVOR, SURVIVOR), (MERGED, MERGED)],
                initial=SURVIVOR,
                required=False,
            )

    def keep(self) -> dict[str, str]:
        return {
            name.removeprefix("keep_"): value or SURVIVOR
            for name, value in self.cleaned_data.items()
            if name.startswith("keep_")
        }


class SplitForm(Form):
    parties = forms.TypedMultipleChoiceField(
        label=_("Companies the new case is against"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = forms.TypedMultipleChoiceField(
        label=_("Files that belong to the new case"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    category = forms.ChoiceField(label=_("What the new case is about"), choices=Category.choices)
    amount = forms.DecimalField(
        label=_("Amount moved to the new case (yuan)"),
        min_value=Decimal("0.00"),
        max_value=MAX_AMOUNT,
        max_digits=12,
        decimal_places=2,
        initial=Decimal("0.00"),
    )
    description = forms.CharField(
        label=_("The new case's grievance, in the worker's words"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Why split the complaint"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["parties"].choices = [(p.pk, str(p)) for p in choices.parties]
            self.fields["evidence"].choices = [(e.pk, e.original_name) for e in choices.evidence]
