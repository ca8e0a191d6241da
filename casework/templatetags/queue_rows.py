"""The queue's rows, built in Python in one tag: 25 rows of ten cells were most of the page's
template time (about 900 template nodes a request), and then `format_html` with twenty
arguments a row (each escaped through the lazy-string check) was most of the rest.

What is the same on every row is worked out once a page: the escaped column labels, the
case and claim URLs (reversed once, the id put in between), the status and category labels
and the due-date cells already rendered for a date."""

from html import escape  # what django.utils.html.escape does, minus its lazy-string check

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from casework.cases.choices import CaseState, Category
from casework.cases.models import SeenCase
from casework.core.bounds import MAX_ID
from casework.core.memo import MISSING, Memo
from casework.templatetags.clocks import due

register = template.Library()


def _url_around_id(name: str) -> tuple[str, str]:
    """The escaped text of the URL `name` before and after its id."""
    url = reverse(name, args=[MAX_ID])
    before, _id, after = url.partition(str(MAX_ID))
    return escape(before), escape(after)


@register.simple_tag
def queue_rows(rows, labels: dict, claim_label: str, selectable: bool = False):
    """Every row of the queue (casework.queues.selectors.QueueRow), each followed by the
    line break and indentation the template had between rows."""
    label = {key: escape(str(value)) for key, value in labels.items()}
    detail = _url_around_id("casework:case_detail")
    assign = _url_around_id("casework:case_assign")
    claim = escape(str(claim_label))
    states: dict[str, str] = {}
    categories: dict[str, str] = {}
    dues: dict[tuple, str] = {}
    parts = []
    for row in rows:
        pk = str(row.pk)
        reference = escape(row.reference)
        if row.assignee_id:
            assignee = escape(row.assignee_name)
        else:
            assignee = (
                '<button type="submit" form="claim-form" '
                f'formaction="{assign[0]}{pk}{assign[1]}" class="link-button">{claim}</button>'
            )
        # The bulk actions' tick box carries what the row showed, so a stale row is refused.
        pick = (
            '<input type="checkbox" class="pick" form="bulk-form" name="case" '
            f'value="{pk}:{escape(SeenCase.token_for(row))}" aria-label="{reference}"> '
            if selectable
            else ""
        )
        if (state := row.state) not in states:
            states[state] = escape(str(CaseState(state).label))
        if (category := row.category) not in categories:
            categories[category] = escape(str(Category(category).label))
        when = (row.next_due, row.next_due_provisional, row.next_due_unit)
        if when not in dues:
            dues[when] = due(*when)
        created = timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M")
        parts.append(
            f'<tr data-case="{pk}">'
            f'<td data-label="{label["reference"]}">{pick}'
            f'<a href="{detail[0]}{pk}{detail[1]}">{reference}</a></td>'
            f'<td data-label="{label["status"]}">'
            f'<span class="state state-{escape(state)}">{states[state]}</span></td>'
            f'<td data-label="{label["worker"]}">{escape(row.worker_name)}</td>'
            f'<td data-label="{label["category"]}">{categories[category]}</td>'
            f'<td data-label="{label["employer"]}">{escape(row.party)}</td>'
            f'<td data-label="{label["street"]}">{escape(row.street)}</td>'
            f'<td data-label="{label["filed"]}">{created}</td>'
            f'<td data-label="{label["due"]}">{dues[when]}</td>'
            f'<td data-label="{label["assignee"]}">{assignee}</td>'
            "</tr>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


# The filter panel's HTML by (language, query string, platform and street options): the same
# for everyone who asks with the same query string, and its eight fields (three rendered
# through Django's widget templates) were a third of the page's template time.
_FILTER_PANELS = Memo(size=256)
FILTER_PANEL = "casework/partials/queue_filters.html"


@register.simple_tag(takes_context=True)
def queue_filters(context):
    """The queue's filter panel (the partial above), rendered once per query string."""
    request, form = context["request"], context["form"]
    key = (
        get_language(),
        tuple(sorted((name, tuple(values)) for name, values in request.GET.lists())),
        form.options_key,
    )
    html = _FILTER_PANELS.get(key)
    if html is MISSING:
        html = context.template.engine.get_template(FILTER_PANEL).render(context)
        _FILTER_PANELS.put(key, None, html)
    return html
