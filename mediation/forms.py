"""Forms of the mediation pages. They parse input; the services decide what is allowed."""

from datetime import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from casework.core.money import yuan_digits
from casework.core.uploads import check_evidence_file
from mediation.choices import PaymentMethod, SessionOutcome, SignatureMethod
from mediation.services.terms import MAX_AMOUNT, claim_reference

SCHEDULE_ROWS = 6


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


class ScheduleForm(Form):
    scheduled_at = forms.DateTimeField(
        label=_("Time"), widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https", max_length=200
    )
    mediator = forms.TypedChoiceField(label=_("Mediator"), coerce=int)
    other_invitees = forms.CharField(
        label=_("Others invited"),
        help_text=_("One per line: name, then organisation after a comma (an agent, the union)."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, mediators=(), actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(m.pk, m.name) for m in mediators]
        # The signed-in mediator mediates unless they choose a colleague; anyone else (a
        # coordinator) chooses: a default of somebody else recorded sessions under them.
        if actor is not None and any(m.pk == actor.pk for m in mediators):
            self.fields["mediator"].initial = actor.pk
        else:
            choices = [("", _("Choose the mediator")), *choices]
        self.fields["mediator"].choices = choices

    def clean(self):
        data = super().clean()
        if not (data.get("place") or "").strip() and not data.get("online_link"):
            self.add_error("place", _("Give a place or an online meeting link."))
        return data


class RecordSessionForm(Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=SessionOutcome.choices, widget=forms.RadioSelect
    )
    minutes = forms.CharField(
        label=_("Minutes"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    attended = forms.TypedMultipleChoiceField(
        label=_("Who attended"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    end_mediation_reason = forms.CharField(
        label=_("End mediation now, because"),
        help_text=_(
            "With “No agreement”: fill this in to end mediation; "
            "the worker may then go to arbitration."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(p.pk, p.name) for p in participants]


def _claim_words(case) -> str:
    reference = claim_reference(case)
    if reference is None:
        return ""
    if reference[1] == "verified":
        return _("Verified amount: ¥%(amount)s") % {"amount": yuan_digits(reference[0])}
    return _("Amount claimed: ¥%(amount)s") % {"amount": yuan_digits(reference[0])}


class AgreementForm(Form):
    facts = forms.CharField(
        label=_("Facts and claims"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    employer_signatory = forms.CharField(
        label=_("Employer's legal representative or agent"), max_length=100
    )
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)
    performance_deadline = forms.DateField(label=_("Performance deadline"), widget=DateInput())
    waived_claims = forms.CharField(
        label=_("Claims the worker gives up"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    other_obligations = forms.CharField(
        label=_("Other obligations"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    above_claim_confirmed = forms.BooleanField(
        label=_(
            "I have checked: the amount above what the worker claimed (or what was verified) "
            "is what the parties agreed, not a typing error."
        ),
        required=False,
    )

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = list(cases)
        for case in self.cases:
            self.fields[f"amount_{case.pk}"] = forms.DecimalField(
                label=_("Amount for %(worker)s (%(reference)s), yuan")
                % {"worker": case.worker_name, "reference": case.reference},
                help_text=_claim_words(case),
                min_value=Decimal("0.01"),
                max_value=MAX_AMOUNT,
                decimal_places=2,
                max_digits=12,
            )
        for row in range(1, SCHEDULE_ROWS + 1):
            self.fields[f"due_{row}"] = forms.DateField(
                label=_("Payment date %(n)d") % {"n": row}, required=row == 1, widget=DateInput()
            )
            self.fields[f"share_{row}"] = forms.DecimalField(
                label=_("Share, %"),
                required=row == 1,
                min_value=Decimal("0.01"),
                max_value=Decimal("100"),
                decimal_places=2,
                initial=Decimal("100") if row == 1 else None,
            )

    @property
    def asks_to_confirm(self) -> bool:
        """The confirmation is shown once the warning was given (or the box was ticked)."""
        return bool(
            self.is_bound
            and (self.data.get("above_claim_confirmed") or self.errors.get("above_claim_confirmed"))
        )

    @property
    def amount_fields(self):
        return [self[f"amount_{case.pk}"] for case in self.cases]

    @property
    def schedule_rows(self):
        return [(self[f"due_{row}"], self[f"share_{row}"]) for row in range(1, SCHEDULE_ROWS + 1)]

    def clean(self):
        data = super().clean()
        schedule = []
        for row in range(1, SCHEDULE_ROWS + 1):
            due, share = data.get(f"due_{row}"), data.get(f"share_{row}")
            if (due is None) != (share is None) and f"due_{row}" not in self.errors:
                self.add_error(f"due_{row}", _("Give both the date and the share."))
            elif due is not None:
                schedule.append((due, share))
        data["schedule"] = schedule
        data["amounts"] = {case.pk: data.get(f"amount_{case.pk}") for case in self.cases}
        return data


class SignForm(Form):
    party = forms.ChoiceField(label=_("Who signed"))
    signer_name = forms.CharField(label=_("Name of the person signing"), max_length=100)
    method = forms.ChoiceField(
        label=_("How"), choices=SignatureMethod.choices, widget=forms.RadioSelect
    )
    scan = forms.FileField(
        label=_("Signed copy (photo or PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    signed_at = forms.DateTimeField(
        label=_("Signed at"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("Leave empty for now."),
    )

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = list(parties)

    def clean_scan(self):
        upload = self.cleaned_data.get("scan")
        return check_evidence_file(upload) if upload else None

    def clean(self):
        data = super().clean()
        if (
            data.get("method") == SignatureMethod.SCAN
            and not data.get("scan")
            and "scan" not in self.errors
        ):
            self.add_error("scan", _("Upload the signed copy."))
        return data


class VoidForm(Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerifyUploadForm(Form):
    file = forms.FileField(label=_("The PDF you were given"))


def aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value
