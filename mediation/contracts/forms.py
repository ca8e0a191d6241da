"""Forms of the contract pages. They parse and explain; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from casework.organisation.choices import UnitKind
from casework.organisation.models import Unit
from mediation.contracts.choices import Chapter, ContractState, ScopeKind, Side
from mediation.contracts.models.clauses import OWN_TEXT_MAX, OWN_TITLE_MAX
from mediation.contracts.parameters import PARAMETERS
from mediation.contracts.rules import VoteCount, term_problem, vote_number_problems
from mediation.contracts.services.terms import ContractTerms
from platforms.choices import CompanyKind, Industry
from platforms.models import Company


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ContractFilterForm(Form):
    state = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ContractState.choices],
        required=False,
    )
    q = forms.CharField(label=_("Search title or employer"), max_length=50, required=False)


class ContractTermsForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    scope_kind = forms.ChoiceField(
        label=_("The contract covers"), choices=ScopeKind.choices, widget=forms.RadioSelect
    )
    company = forms.ModelChoiceField(
        label=_("Platform company"),
        queryset=Company.objects.filter(kind=CompanyKind.PLATFORM).order_by("name"),
        required=False,
        help_text=_("For a platform contract."),
    )
    industry = forms.ChoiceField(
        label=_("Industry"),
        choices=[("", _("— the platform's own industry —")), *Industry.choices],
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Unit.objects.filter(
            kind__in=[UnitKind.DISTRICT, UnitKind.STREET, UnitKind.PARK]
        ).order_by("kind", "name"),
        required=False,
        help_text=_("For an industry contract: the district, a street or a park."),
    )
    employer_party = forms.CharField(
        label=_("Employer side"),
        max_length=200,
        required=False,
        help_text=_(
            "The industry association for an industry contract; empty for a platform: the "
            "company itself."
        ),
    )
    union_name = forms.CharField(
        label=_("Workers' side (union)"),
        max_length=200,
        help_text=_("The union that chooses the workers' representatives."),
    )
    term_start = forms.DateField(label=_("Term from"), widget=DateInput())
    term_end = forms.DateField(
        label=_("Term until (last day)"),
        widget=DateInput(),
        help_text=_("One to three years."),
    )
    request_on = forms.DateField(
        label=_("Written request to bargain received on"),
        widget=DateInput(),
        required=False,
        help_text=_("Starts the 20-day clock for the written reply."),
    )
    reply_on = forms.DateField(
        label=_("Written reply given on"), widget=DateInput(), required=False
    )
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("scope_kind")
        if kind == ScopeKind.PLATFORM and not data.get("company"):
            self.add_error("company", _("Choose the platform company."))
        if kind == ScopeKind.REGIONAL_INDUSTRY:
            if not data.get("region"):
                self.add_error("region", _("Choose the region."))
            if not data.get("industry"):
                self.add_error("industry", _("Choose the industry."))
            if not (data.get("employer_party") or "").strip():
                self.add_error(
                    "employer_party", _("Name the employer side, e.g. the industry association.")
                )
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and (problem := term_problem(start, end)):
            self.add_error("term_end", problem)
        return data

    def to_terms(self) -> ContractTerms:
        data = self.cleaned_data
        return ContractTerms(
            title=data["title"],
            scope_kind=data["scope_kind"],
            company=data.get("company"),
            industry=data.get("industry") or "",
            region=data.get("region"),
            employer_party=data.get("employer_party") or "",
            union_name=data["union_name"],
            term_start=data["term_start"],
            term_end=data["term_end"],
            request_on=data.get("request_on"),
            reply_on=data.get("reply_on"),
        )

    @classmethod
    def initial_from(cls, contract) -> dict:
        return {
            "title": contract.title,
            "scope_kind": contract.scope_kind,
            "company": contract.company_id,
            "industry": contract.industry,
            "region": contract.region_id,
            "employer_party": contract.employer_party,
            "union_name": contract.union_name,
            "term_start": contract.term_start,
            "term_end": contract.term_end,
            "request_on": contract.request_on,
            "reply_on": contract.reply_on,
            "expected_state": contract.state,
        }


class RepresentativeForm(Form):
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=100)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    is_chief = forms.BooleanField(
        label=_("Chief representative of this side"),
        required=False,
        help_text=_("Replaces the side's current chief, who stays a representative."),
    )


class RoundForm(Form):
    held_at = forms.DateTimeField(label=_("Held at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.CharField(
        label=_("Attendees"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names and sides of those present."),
    )
    minutes = forms.CharField(
        label=_("Minutes"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


class ClauseValuesForm(Form):
    """One field per parameter of the clause, each checked for type and range."""

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        for name, default in template.parameters.items():
            spec = PARAMETERS.get(name)
            if spec is None:
                continue
            self.fields[name] = forms.CharField(
                label=f"{spec.label} ({spec.unit})",
                initial=default,
                max_length=20,
                help_text=_("from %(min)s to %(max)s")
                % {"min": spec.display(spec.minimum), "max": spec.display(spec.maximum)},
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric" if spec.kind == "integer" else "decimal"}
                ),
            )

    def clean(self):
        data = super().clean()
        for name in self.template.parameters:
            spec = PARAMETERS.get(name)
            if spec is None or name not in data:
                continue
            try:
                data[name] = spec.canonical(data[name])
            except ValueError as error:
                self.add_error(name, str(error))
        return data

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.template.parameters}


class OwnClauseForm(Form):
    """A clause the drafter writes: chapter, title and text (checked again by the service)."""

    chapter = forms.ChoiceField(label=_("Chapter"), choices=Chapter.choices)
    title = forms.CharField(label=_("Title"), max_length=OWN_TITLE_MAX)
    text = forms.CharField(
        label=_("Text of the clause"),
        max_length=OWN_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Printed as written, numbered with the other clauses. Name the parties in full "
            "(e.g. the company's name); line breaks become spaces."
        ),
    )


class VoteForm(Form):
    # No min_value/max_value: the rules' own messages (rules.vote_number_problems) explain a
    # negative or impossible count better than the generic bounds would.
    held_at = forms.DateTimeField(label=_("Held at"), widget=DateTimeInput())
    members = forms.IntegerField(label=_("Members of the congress"))
    attended = forms.IntegerField(label=_("Members who attended"))
    yes = forms.IntegerField(label=_("Voted yes"))
    no = forms.IntegerField(label=_("Voted no"))
    abstain = forms.IntegerField(label=_("Abstained"))
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        names = ("members", "attended", "yes", "no", "abstain")
        if all(data.get(n) is not None for n in names):
            for name, message in vote_number_problems(self.count()).items():
                self.add_error(name, message)
        return data

    def count(self) -> VoteCount:
        data = self.cleaned_data
        return VoteCount(
            data["members"], data["attended"], data["yes"], data["no"], data["abstain"]
        )


class TransitionForm(Form):
    expected_state = forms.CharField(max_length=30)
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    opinion = forms.CharField(
        label=_("Review opinion"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reason = forms.CharField(label=_("Note"), max_length=2000, required=False)
