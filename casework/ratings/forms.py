"""Forms of the rating panel and the review of a bad rating."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from casework.ratings.models import RatingLevel


class RatingForm(Form):
    level = forms.TypedChoiceField(
        label=_("How did we handle your case?"),
        choices=RatingLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CallbackForm(Form):
    findings = forms.CharField(
        label=_("What the call-back found"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewCloseForm(Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            ("put_right", _("Put right: say what was done")),
            ("not_upheld", _("Not upheld: say why (supervisors)")),
        ],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("What was done, or why the rating is not upheld"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
