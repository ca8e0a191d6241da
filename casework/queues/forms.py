"""The queue's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import CaseState, Category
from casework.cases.forms import jurisdictions
from casework.cases.models import SeenCase
from casework.cases.services.handling import BULK_LIMIT
from casework.core.bounds import MAX_ID
from casework.core.forms import Form
from casework.core.memo import MISSING, Memo
from casework.queues.selectors import QUEUES, QueueFilters
from platforms.choices import CompanyKind
from platforms.models import Company

OPTIONS_SECONDS = 60
_options = Memo(size=16, max_age=OPTIONS_SECONDS)


def _kept_options(name: str, queryset) -> list[tuple[int, str]]:
    kept = _options.get(name)
    if kept is MISSING:
        kept = [(obj.pk, str(obj)) for obj in queryset]
        _options.put(name, None, kept)
    return kept


class QueueFilterForm(Form):
    queue = forms.ChoiceField(choices=[(q, q) for q in QUEUES], required=False)
    state = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Open cases")), ("open", _("Any open status")), *CaseState.choices],
        required=False,
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *Category.choices], required=False
    )
    platform = forms.ModelChoiceField(
        label=_("Platform or operator"),
        queryset=Company.objects.filter(
            kind__in=(CompanyKind.PLATFORM, CompanyKind.OPERATOR)
        ).order_by("name"),
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
    # Filters the dashboard's figures link with; not shown in the filter form.
    unit = forms.IntegerField(required=False, min_value=1)
    collective = forms.BooleanField(required=False)
    resolved_from = forms.DateField(required=False)
    resolved_to = forms.DateField(required=False)
    clock = forms.SlugField(required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = jurisdictions()
        # The platforms and streets change a few times a year, the queue is loaded all day:
        # each process keeps their options for a minute. Validation still checks the queryset.
        option_lists = []
        for name in ("platform", "street"):
            field = self.fields[name]
            options = _kept_options(name, field.queryset)
            field.choices = [("", field.empty_label), *options]
            option_lists.append(tuple(map(tuple, options)))
        # What the rendered filter panel depends on besides the query string and the language
        # (casework.templatetags.queue_rows.queue_filters).
        self.options_key = tuple(option_lists)

    def filters(self, default_queue: str = "team") -> QueueFilters:
        """The queue's filters (what was valid of them: a bad query string shows the default
        queue); the queue page and the ledger's exports read the same."""
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilters(
            queue=data.get("queue") or default_queue,
            state=data.get("state") or "",
            category=data.get("category") or "",
            platform=data["platform"].pk if data.get("platform") else None,
            street=data["street"].pk if data.get("street") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
            sort=data.get("sort") or "",
            unit=data.get("unit"),
            collective=bool(data.get("collective")),
            resolved_from=data.get("resolved_from"),
            resolved_to=data.get("resolved_to"),
            clock=data.get("clock") or "",
        )


class ChosenCasesField(forms.Field):
    """The ticked rows of the queue: each box's value is the case id and what the row showed
    of it ("<id>:<seen>", casework/cases/models/seen.py). Cleans to [(id, SeenCase)]."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("The list of cases was not understood.")}

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        chosen = []
        for item in value[: BULK_LIMIT + 1]:
            case_id, _colon, seen = str(item).partition(":")
            if not case_id.isascii() or not case_id.isdigit() or int(case_id) > MAX_ID:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            chosen.append((int(case_id), SeenCase.parse(seen)))
        return chosen


class QueueBulkForm(Form):
    """The queue's bulk actions: claim the ticked cases, or assign them to one person."""

    case = ChosenCasesField(required=False)
    assignee = forms.IntegerField(label=_("Assign to"), required=False, min_value=1)
    action = forms.ChoiceField(choices=[("claim", "claim"), ("assign", "assign")])
    query = forms.CharField(required=False, max_length=2000)
