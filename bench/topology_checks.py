"""What bench/topology.py checks afterwards, from the database: nothing done twice.

Every check reads the rows the run wrote (ids above the marks taken before it started) and
counts the groups that appear more than once where once is right. A check's `twice` is the
number of such groups (0 is the pass); `count` is how many there were in all.
"""

from collections import Counter

from django.db.models import Count, Max, Min

from casework.audit.models import ChainEntry
from casework.clocks.models import Deadline
from casework.notifications.models import Notification
from casework.organisation.models import SmsMessage
from casework.timeline.models import CaseEvent
from mediation.documents.models import Document
from platforms.webhooks.models import Attempt, Delivery, Event

MARKED = {
    "sms": SmsMessage,
    "notification": Notification,
    "timeline": CaseEvent,
    "chain": ChainEntry,
    "event": Event,
    "delivery": Delivery,
    "attempt": Attempt,
    "document": Document,
}


def _task_model():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult


def marks() -> dict:
    """The highest id of each table before the run (the run's rows are those above)."""
    found = {name: model.objects.aggregate(m=Max("pk"))["m"] or 0 for name, model in MARKED.items()}
    # Task ids are UUIDs: keep the set of those already there.
    found["audit_problems"] = _audit_problems()
    found["tasks"] = set(_task_model().objects.values_list("pk", flat=True))
    found["clocks"] = {
        "warned": Deadline.objects.filter(warned_at__isnull=False).count(),
        "breached": Deadline.objects.filter(breached_at__isnull=False).count(),
    }
    return found


def _check(name: str, count: int, twice: int, **extra) -> dict:
    return {"check": name, "count": count, "twice": twice, **extra}


def _twice(rows) -> tuple[int, int]:
    counts = Counter(rows)
    return sum(counts.values()), sum(1 for n in counts.values() if n > 1)


def check_all(before: dict, received: list[tuple[str, str]], started_at) -> list[dict]:
    """`received`: (path, event id) of every POST the webhook receiver answered."""
    checks = []
    tasks = _task_model().objects.exclude(pk__in=before["tasks"])
    statuses = Counter(tasks.values_list("status", flat=True))
    runs = [len(ids) for ids in tasks.values_list("worker_ids", flat=True)]
    checks.append(
        _check(
            "each task run by one worker, once",
            len(runs),
            sum(1 for n in runs if n > 1),
            statuses=dict(statuses),
            workers=dict(
                Counter(w for ids in tasks.values_list("worker_ids", flat=True) for w in ids)
            ),
        )
    )
    documents = Document.objects.filter(pk__gt=before["document"])
    checks.append(
        _check(
            "each document rendered once",
            documents.count(),
            documents.exclude(attempts=1).count(),
            ready=documents.filter(status="ready").count(),
        )
    )
    sms = SmsMessage.objects.filter(pk__gt=before["sms"]).values_list("to", "body")
    checks.append(_check("each SMS sent once", *_twice(sms)))
    deliveries = Delivery.objects.filter(pk__gt=before["delivery"])
    checks.append(
        _check(
            "each webhook delivery sent once per endpoint and event",
            *_twice(received),
            deliveries=deliveries.count(),
            succeeded=deliveries.filter(status="succeeded").count(),
            more_than_one_attempt=deliveries.exclude(attempts=1).count(),
        )
    )
    events = Event.objects.filter(pk__gt=before["event"]).values_list("type", "case_id")
    checks.append(_check("each webhook event made once per case and type", *_twice(events)))
    timeline = CaseEvent.objects.filter(pk__gt=before["timeline"]).values_list(
        "case_id", "kind", "transition", "from_state", "to_state", "reason", "params"
    )
    checks.append(
        _check(
            "each timeline entry written once",
            *_twice((*row[:-1], repr(sorted(row[-1].items()))) for row in timeline),
        )
    )
    for kind, label in (
        ("deadline_warning", "each clock warned once"),
        ("deadline_breached", "each clock missed once"),
        ("escalated", "each case escalated once"),
    ):
        rows = CaseEvent.objects.filter(pk__gt=before["timeline"], kind=kind)
        checks.append(
            _check(
                label,
                *_twice(
                    (c, repr(sorted(p.items()))) for c, p in rows.values_list("case_id", "params")
                ),
            )
        )
    notices = Notification.objects.filter(pk__gt=before["notification"]).values_list(
        "recipient_id", "kind", "case_id", "params"
    )
    checks.append(
        _check(
            "each notification once per person",
            *_twice((r, k, c, repr(sorted(p.items()))) for r, k, c, p in notices),
        )
    )
    checks.append(_chain(before["chain"], before["audit_problems"]))
    return checks


def _audit_problems() -> set[str]:
    """What verify_audit finds. The bench seed writes its rows without the chain (COPY), so
    they are reported before the run already: the run must add no problem of its own."""
    from casework.audit.verify import verify_chain

    return {str(problem) for problem in verify_chain().problems}


def _chain(mark: int, before: set[str]) -> dict:
    """The chain verified (verify_audit's check) and numbered without a gap or a repeat."""
    new = sorted(_audit_problems() - before)
    # `seq` is the primary key: a repeat cannot be stored, a gap can.
    found = ChainEntry.objects.filter(seq__gt=mark).aggregate(
        count=Count("seq"), low=Min("seq"), high=Max("seq")
    )
    count, low, high = found["count"], found["low"], found["high"]
    gaps = (high - low + 1 - count) if count else 0
    return _check(
        "audit chain intact (verify_audit)",
        count,
        len(new) + gaps,
        new_problems=new[:3],
        gaps=gaps,
    )
