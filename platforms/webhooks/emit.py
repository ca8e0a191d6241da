"""Where events come from, and the fan-out: which endpoints hear of a case.

Events of the case's life arrive from the timeline (`on_timeline_entries`, registered with
casework.timeline.events.listen): a listener runs inside the writer's transaction and only
looks at the entries in memory; the work (queries, rows, sending) waits for the commit, so a
rolled-back step sends nothing and a webhook failure never undoes a step of a case.

Other apps call `emit` directly: the arrears ledger's sweep (arrears.services.enforcement)
sends `instalment.due` when it flags an instalment of an agreement that passed its due date
unpaid, with `data={case_id: {"instalment": {...}, "instalments": [...]}}`.

Only endpoints of a company named on the case, or of a company above one in the chain (whose
representatives see the case on the portal too), hear of it; never those of another platform.
"""

from collections import defaultdict
from collections.abc import Iterable
from uuid import uuid4

from django.db import transaction
from django.utils import timezone

from casework.cases.models import Case, CaseParty
from casework.core.outbound import send_on_commit
from casework.core.table_copies import TableCopy
from casework.timeline.choices import EventKind
from platforms.models import Company
from platforms.portal.selectors import RESPONSE_RULE
from platforms.responses.access import NOT_PUT_TO_EMPLOYER
from platforms.webhooks.choices import DeliveryStatus, EventType
from platforms.webhooks.models import Delivery, Endpoint, Event
from platforms.webhooks.payloads import case_summaries, event_body
from platforms.webhooks.tasks import queue_deliveries

_TRANSITION_EVENTS = {
    "accept": EventType.CASE_NAMED,
    "request_response": EventType.RESPONSE_REQUESTED,
}


def _event_type_of(entry) -> str | None:
    if entry.kind == EventKind.TRANSITION:
        return _TRANSITION_EVENTS.get(entry.transition)
    if entry.kind == EventKind.FILED and entry.to_state not in NOT_PUT_TO_EMPLOYER:
        return EventType.CASE_NAMED  # taken up at once (filed by staff as accepted)
    if entry.kind == EventKind.AGREEMENT_SIGNED:  # written when the last party signed
        return EventType.AGREEMENT_BINDING
    if entry.kind == EventKind.DEADLINE_WARNING and getattr(entry, "rule_key", "") == RESPONSE_RULE:
        return EventType.RESPONSE_DUE_SOON  # the clock warns a working day before it is due
    return None


def on_timeline_entries(entries) -> None:
    """Timeline listener: no query here, only a look at the entries' kinds."""
    cases_by_type: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        event_type = _event_type_of(entry)
        if event_type is not None:
            cases_by_type[event_type].append(entry.case_id)
    for event_type, case_ids in cases_by_type.items():
        emit(event_type, case_ids=case_ids)


def emit(event_type: str, *, case_ids: Iterable[int], data: dict[int, dict] | None = None):
    """Send `event_type` about each case to the endpoints that hear of it, after the current
    transaction commits (at once outside one). `data` adds fields to the payload's `data`
    beside `case`, per case id."""
    case_ids = list(dict.fromkeys(case_ids))
    send_on_commit(
        lambda: fan_out(event_type, case_ids=case_ids, data=data or {}),
        kind="webhook",
        description=f"webhook {event_type} for cases {case_ids[:5]}",
        payload={"type": event_type, "case_ids": case_ids},
    )


def _ancestors(company_ids: set[int], parents: dict[int, int | None]) -> set[int]:
    found = set(company_ids)
    for company_id in company_ids:
        seen = set()
        parent = parents.get(company_id)
        while parent is not None and parent not in seen:
            seen.add(parent)
            found.add(parent)
            parent = parents.get(parent)
    return found


# The switched-on endpoints (few, changed by their companies now and then): every transition
# that names a company would otherwise read them after commit.
active_endpoints = TableCopy(
    "webhook-endpoints",
    lambda: list(Endpoint.objects.filter(is_active=True).only("pk", "company_id", "events")),
    watch=(Endpoint,),
)


def fan_out(event_type: str, *, case_ids: list[int], data: dict[int, dict]) -> list[int]:
    """Make the event and one delivery per listening endpoint; queue them. Returns the new
    deliveries' ids. No query when no endpoint listens for `event_type`."""
    endpoints = [endpoint for endpoint in active_endpoints.get() if event_type in endpoint.events]
    if not endpoints or not case_ids:
        return []
    parents = dict(Company.objects.values_list("pk", "parent_id"))
    named: dict[int, set[int]] = defaultdict(set)
    for case_id, company_id in CaseParty.objects.filter(
        case_id__in=case_ids, company__isnull=False
    ).values_list("case_id", "company_id"):
        named[case_id].add(company_id)
    visible = set(
        Case.objects.filter(pk__in=list(named))
        .exclude(state__in=NOT_PUT_TO_EMPLOYER)
        .values_list("pk", flat=True)
    )
    listeners = {
        case_id: [e for e in endpoints if e.company_id in _ancestors(named[case_id], parents)]
        for case_id in visible
    }
    listeners = {case_id: found for case_id, found in listeners.items() if found}
    if not listeners:
        return []
    summaries = case_summaries(listeners)
    now = timezone.now()
    with transaction.atomic():
        events, deliveries = [], []
        for case_id, found in listeners.items():
            uid = uuid4()
            body = event_body(
                uid=uid,
                event_type=event_type,
                created=now,
                data={"case": summaries[case_id], **data.get(case_id, {})},
            )
            event = Event(uid=uid, type=event_type, case_id=case_id, body=body)
            events.append((event, found))
        Event.objects.bulk_create([event for event, _found in events])
        for event, found in events:
            deliveries.extend(
                Delivery(
                    endpoint=e, event=event, status=DeliveryStatus.PENDING, next_attempt_at=now
                )
                for e in found
            )
        Delivery.objects.bulk_create(deliveries)
        ids = [d.pk for d in deliveries]
        queue_deliveries(ids)
    return ids
