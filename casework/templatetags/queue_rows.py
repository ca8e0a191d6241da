"""The queue's rows, built in Python: 25 rows of ten cells were most of the page's template
time (about 900 template nodes a request)."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from casework.cases.models import SeenCase
from casework.templatetags.clocks import due

register = template.Library()


@register.simple_tag
def queue_row(case, labels: dict, claim_label: str, selectable: bool = False):
    # the queue selector prefetches the parties into `party_list`
    party = case.party_list[0] if case.party_list else None
    if case.assignee_id:
        assignee = case.assignee.name
    else:
        assignee = format_html(
            '<button type="submit" form="claim-form" formaction="{}" class="link-button">'
            "{}</button>",
            reverse("casework:case_assign", args=[case.pk]),
            claim_label,
        )
    created = timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M")
    # The bulk actions' tick box carries what the row showed, so a stale row is refused.
    pick = (
        format_html(
            '<input type="checkbox" class="pick" form="bulk-form" name="case" value="{}:{}" '
            'aria-label="{}"> ',
            case.pk,
            SeenCase.token_for(case),
            case.reference,
        )
        if selectable
        else ""
    )
    return format_html(
        '<tr data-case="{pk}">'
        '<td data-label="{l_reference}">{pick}<a href="{url}">{reference}</a></td>'
        '<td data-label="{l_status}"><span class="state state-{state}">{state_label}</span></td>'
        '<td data-label="{l_worker}">{worker}</td>'
        '<td data-label="{l_category}">{category}</td>'
        '<td data-label="{l_employer}">{party}</td>'
        '<td data-label="{l_street}">{street}</td>'
        '<td data-label="{l_filed}">{created}</td>'
        '<td data-label="{l_due}">{due}</td>'
        '<td data-label="{l_assignee}">{assignee}</td>'
        "</tr>",
        pk=case.pk,
        pick=pick,
        url=reverse("casework:case_detail", args=[case.pk]),
        reference=case.reference,
        state=case.state,
        state_label=case.state_label,
        worker=case.worker_name,
        category=case.category_label,
        party=str(party) if party else "",
        street=case.jurisdiction.name,
        created=created,
        due=due(case.next_due, case.next_due_provisional, case.next_due_unit),
        assignee=assignee,
        **{f"l_{key}": value for key, value in labels.items()},
    )
