"""The intake's forms: a worker's four steps, and the staff's one screen for a caller or walk-in."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import MONEY_CATEGORIES, UPSTREAM_CHANNELS, Category, Channel
from casework.cases.forms import MAX_CLAIM, jurisdictions
from casework.core.forms import Form
from casework.core.identity import mask_id_number, validate_id_number
from casework.core.table_copies import TableCopy
from casework.core.uploads import EvidenceField
from casework.intake.names import NAME_MAX_LENGTH, normalise_person_name, validate_person_name
from casework.intake.services import Complaint
from casework.organisation.models import Unit
from casework.organisation.validators import normalise_mainland_mobile
from platforms.choices import CompanyKind
from platforms.models import Company


def _platforms():
    return Company.objects.filter(kind=CompanyKind.PLATFORM).order_by("name")


# The streets and parks, and the platforms, a complaint may name (tens of rows each): a filing
# finds its choices here rather than with a query each.
places = TableCopy("intake-places", lambda: {u.pk: u for u in jurisdictions()}, watch=(Unit,))
platforms = TableCopy("intake-platforms", lambda: {c.pk: c for c in _platforms()}, watch=(Company,))


class CopiedChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that finds the posted id in a TableCopy of its queryset's rows
    ({pk: row}) instead of reading the row; the page still lists the queryset. A form that
    narrows the queryset (a channel's own streets) is answered by the queryset, as before."""

    def __init__(self, *args, table: TableCopy, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table  # shared by the form's copies of the field (Field.__deepcopy__)
        self.narrowed = False

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.narrowed = True

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        narrowed = self.narrowed
        result = super().__deepcopy__(memo)  # sets a clone of the same queryset
        result.narrowed = narrowed
        return result

    def to_python(self, value):
        if self.narrowed or value in self.empty_values:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        try:
            found = self.table.get().get(int(value))
        except (ValueError, TypeError):
            found = None
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


class WhatHappenedForm(Form):
    category = forms.ChoiceField(
        label=_("What is the problem?"), choices=Category.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_("When it started, what you were told, what you have already tried."),
        max_length=5000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class EmployerForm(Form):
    platform = CopiedChoiceField(
        label=_("Platform"),
        queryset=_platforms(),
        table=platforms,
        required=False,
        empty_label=_("— choose the app you work through —"),
    )
    platform_other = forms.CharField(
        label=_("Not in the list? Type its name"), max_length=200, required=False
    )
    operator = forms.CharField(
        label=_("Operator, station or agency that pays you"),
        help_text=_("Start typing to search; leave empty if you do not know."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "operators", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("platform") and not (data.get("platform_other") or "").strip():
            self.add_error("platform", _("Choose the platform, or type its name."))
        return data

    def parties(self):
        from casework.intake.services import PartyInput

        data = self.cleaned_data
        chain = []
        if data["platform"]:
            chain.append(PartyInput(kind=CompanyKind.PLATFORM, company=data["platform"]))
        else:
            chain.append(PartyInput(kind=CompanyKind.PLATFORM, name=data["platform_other"].strip()))
        if operator_name := (data.get("operator") or "").strip():
            known = Company.objects.exclude(kind=CompanyKind.PLATFORM).filter(
                name=operator_name
            ) | Company.objects.exclude(kind=CompanyKind.PLATFORM).filter(short_name=operator_name)
            company = known.first()
            chain.append(
                PartyInput(
                    kind=company.kind if company else CompanyKind.OPERATOR,
                    company=company,
                    name="" if company else operator_name,
                )
            )
        return chain


class WhereWhenForm(Form):
    jurisdiction = CopiedChoiceField(
        label=_("Where do you mostly work?"),
        queryset=jurisdictions(),
        table=places,
        empty_label=_("— choose a street or park —"),
    )
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_claimed = forms.DecimalField(
        label=_("How much are you owed (yuan)?"),
        help_text=_("Only for money problems. Leave empty if you are not sure."),
        required=False,
        min_value=Decimal("0.00"),
        max_value=MAX_CLAIM,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    still_working = forms.TypedChoiceField(
        label=_("Do you still work for them?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    order_ids = forms.CharField(
        label=_("Order numbers (if any)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, category: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        today = timezone.localdate()
        if start and end and end < start:
            self.add_error("period_end", _("The end date must not be before the start date."))
        if end and end > today:
            self.add_error("period_end", _("The period cannot end in the future."))
        if start and start.year < 2000:
            self.add_error("period_start", _("Please check the year."))
        return data


class EvidenceConsentForm(Form):
    files = EvidenceField(
        label=_("Screenshots or documents"),
        help_text=_("Up to 10 photos or PDF files, 10 MB each: pay records, order lists, chats."),
        required=False,
    )
    consent_to_share = forms.BooleanField(
        label=_("I agree that the employer named in my complaint may see it and respond."),
        required=False,
    )


class AboutYouForm(Form):
    """Who the complaint is for: the name the agreement and any court papers will print."""

    worker_name = forms.CharField(
        label=_("Your full name"),
        help_text=_("As on your ID card: the agreement and any court papers print it."),
        max_length=NAME_MAX_LENGTH,
        validators=[validate_person_name],
    )
    worker_id_number = forms.CharField(
        label=_("ID card number (optional)"),
        help_text=_("18 characters. Only the labour bureau sees it in full."),
        max_length=18,
        required=False,
        validators=[validate_id_number],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_worker_name(self):
        return normalise_person_name(self.cleaned_data["worker_name"])

    def clean_worker_id_number(self):
        return self.cleaned_data["worker_id_number"].strip().upper()


def masked_id(value: str) -> str:
    return mask_id_number(value) if value else ""


class StaffIntakeForm(
    WhatHappenedForm, EmployerForm, WhereWhenForm, EvidenceConsentForm, AboutYouForm
):
    """Staff file for a walk-in or phone caller on one page, in the order a call goes: who is
    calling, where they work and for whom, what happened, then evidence and consent. The
    labels speak to the staff member about the worker."""

    worker_mobile = forms.CharField(label=_("Worker's mobile number"), max_length=20)
    channel = forms.ChoiceField(
        label=_("How did the complaint reach us?"),
        # Upstream work orders are registered with their reference (casework/channels).
        choices=[
            (c.value, c.label)
            for c in Channel
            if c != Channel.ONLINE and c not in UPSTREAM_CHANNELS
        ],
    )

    SECTIONS = (
        (_("Who is calling"), ("channel", "worker_name", "worker_mobile", "worker_id_number")),
        (
            _("Where they work and for whom"),
            ("jurisdiction", "platform", "platform_other", "operator", "still_working"),
        ),
        (
            _("What happened"),
            (
                "category",
                "period_start",
                "period_end",
                "amount_claimed",
                "description",
                "order_ids",
            ),
        ),
        (_("Evidence and consent"), ("files", "consent_to_share")),
    )
    LABELS = {
        "worker_name": (_("Worker's full name"), _("As on their ID card: agreements print it.")),
        "worker_id_number": (_("Worker's ID card number (optional)"), None),
        "jurisdiction": (_("Where does the worker mostly work?"), None),
        "platform_other": (_("Platform not in the list? Type its name"), None),
        "operator": (
            _("Operator, station or agency that pays the worker"),
            _("Start typing to search; leave empty if the worker does not know."),
        ),
        "still_working": (_("Does the worker still work for them?"), None),
        "amount_claimed": (
            _("How much is the worker owed (yuan)?"),
            _("Only for money problems. Leave empty if the worker is not sure."),
        ),
        "description": (
            _("What happened, in the worker's words"),
            _("When it started, what they were told, what they have already tried."),
        ),
        "files": (_("Screenshots or documents from the worker"), None),
        "consent_to_share": (
            _("The worker agrees that the employer named in the complaint may see it and respond."),
            None,
        ),
    }

    field_order = [name for _title, names in SECTIONS for name in names]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.LABELS.items():
            self.fields[name].label = label
            if help_text is not None:
                self.fields[name].help_text = help_text

    def clean_worker_mobile(self):
        return normalise_mainland_mobile(self.cleaned_data["worker_mobile"])

    def complaint(self) -> Complaint:
        """The complaint the valid form describes (staff intake and upstream work orders)."""
        data = self.cleaned_data
        return Complaint(
            category=data["category"],
            description=data["description"],
            jurisdiction=data["jurisdiction"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            amount_claimed=claim_for(data["category"], data["amount_claimed"]),
            order_ids=data["order_ids"],
            still_working=data["still_working"],
            parties=self.parties(),
            consent_to_share=data["consent_to_share"],
            worker_name=data["worker_name"],
            worker_id_number=data["worker_id_number"],
            files=data["files"],
        )

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


def claim_for(category: str, amount) -> Decimal:
    return (amount or Decimal("0.00")) if category in MONEY_CATEGORIES else Decimal("0.00")
