"""The timeline's one door: a named function per kind of entry (in the manner of Saleor's
`order/events.py`), so that every entry of a kind is written the same way and a grep finds
every writer. No other module constructs a `CaseEvent`.

An entry stores its kind and, where the kind needs them, parameters: the transition and the
states (keys), a key for other apps' details (a session's outcome), or the words a person
wrote (a reason, a note). `CaseEvent.headline` puts them into the reader's language.
"""

from collections.abc import Callable, Iterable

from casework.core.audit_hook import rows_written
from casework.core.kept_inserts import insert_rows
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent

# Apps above casework learn of new entries here (the platforms' webhooks), so that casework
# never imports them. A listener is called inside the writer's transaction with the entries
# just written; it must not query or fail, only look at them and leave its work for after the
# commit (casework.core.outbound.send_on_commit).
_listeners: list[Callable[[list[CaseEvent]], None]] = []


def listen(listener: Callable[[list[CaseEvent]], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def _announce(entries: list[CaseEvent]) -> None:
    for listener in _listeners:
        listener(entries)


def _record(
    case, *, actor, kind: str, is_public: bool = False, chained: list | None = None, **fields
) -> CaseEvent:
    """Write one entry. With `chained` (a list), the entry is added to it instead of being
    appended to the audit chain on its own: the caller hands the rows of its transaction to
    the chain together, in one statement (casework.core.audit_hook.rows_written)."""
    if chained is None:
        event = CaseEvent.objects.create(
            case=case, actor=actor, kind=kind, is_public=is_public, **fields
        )
    else:
        event = CaseEvent(case=case, actor=actor, kind=kind, is_public=is_public, **fields)
        insert_rows([event])  # no post_save (as bulk_create): chained by the caller
        chained.append(event)
    _announce([event])
    return event


# Cases -------------------------------------------------------------------------------------


def case_filed_event(*, case, actor) -> CaseEvent:
    return _record(case, actor=actor, kind=EventKind.FILED, is_public=True, to_state=case.state)


def cases_filed_events(*, cases, actor) -> list[CaseEvent]:
    """The "filed" entry of many cases filed at once (an import), in one INSERT; the audit
    chain is told of them as bulk rows."""
    from casework.core.audit_hook import rows_written

    events = CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=case, actor=actor, kind=EventKind.FILED, is_public=True, to_state=case.state
            )
            for case in cases
        ]
    )
    rows_written(events)
    _announce(events)
    return events


def case_transitioned_event(
    *, case, actor, name: str, from_state: str, reason: str, chained: list | None = None
) -> CaseEvent:
    """A state change, shown to the worker (with the reason where the lifecycle says so).
    `chained`: see `_record`."""
    return _record(
        case,
        actor=actor,
        kind=EventKind.TRANSITION,
        transition=name,
        from_state=from_state,
        to_state=case.state,
        reason=reason,
        is_public=True,
        chained=chained,
    )


def case_assigned_event(*, case, actor, assignee) -> CaseEvent:
    return _record(
        case, actor=actor, kind=EventKind.ASSIGNED, reason=assignee.name if assignee else ""
    )


def evidence_added_event(*, case, actor, file_names: Iterable[str]) -> CaseEvent:
    return _record(
        case,
        actor=actor,
        kind=EventKind.EVIDENCE_ADDED,
        is_public=True,
        reason=", ".join(file_names),
    )


def note_added_event(*, case, actor, body: str, is_public: bool) -> CaseEvent:
    """An internal note leaves only its trace on the timeline; a public one its words."""
    return _record(
        case,
        actor=actor,
        kind=EventKind.NOTE_ADDED,
        is_public=is_public,
        reason=body if is_public else "",
    )


def worker_message_event(*, case, actor, body: str) -> CaseEvent:
    return _record(
        case, actor=actor, kind=EventKind.MESSAGE_FROM_WORKER, is_public=True, reason=body
    )


# Tiers and groups --------------------------------------------------------------------------


def _moved(case, *, actor, kind: str, team_name: str, reason: str = "", missed=()) -> CaseEvent:
    params = {"team": team_name}
    if missed:
        params["missed"] = list(missed)
    return CaseEvent(case=case, actor=actor, kind=kind, reason=reason, params=params)


def case_escalated_event(*, case, actor, team_name: str, reason: str) -> CaseEvent:
    event = _moved(case, actor=actor, kind=EventKind.ESCALATED, team_name=team_name, reason=reason)
    event.save()
    return event


def case_handed_back_event(*, case, actor, team_name: str, reason: str) -> CaseEvent:
    event = _moved(
        case, actor=actor, kind=EventKind.DEESCALATED, team_name=team_name, reason=reason
    )
    event.save()
    return event


def cases_escalated_events(moves: Iterable[tuple[object, str, list[str]]], *, actor) -> None:
    """Escalations by the sweep, one INSERT: (case, team name, the rules of the missed
    deadlines) each. The reason is put into words in the reader's language when shown."""
    rows_written(
        CaseEvent.objects.bulk_create(
            _moved(case, actor=actor, kind=EventKind.ESCALATED, team_name=team, missed=missed)
            for case, team, missed in moves
        )
    )


def case_grouped_event(*, case, actor, group_title: str) -> CaseEvent:
    return _record(case, actor=actor, kind=EventKind.GROUPED, reason=group_title)


def case_collective_event(*, case, actor, reason: str) -> CaseEvent:
    return _record(case, actor=actor, kind=EventKind.COLLECTIVE, reason=reason)


# Clocks ------------------------------------------------------------------------------------


def deadline_events(deadlines, *, actor, missed: bool) -> None:
    """Warnings before, or misses of, many deadlines at once (the sweep): one INSERT."""
    kind = EventKind.DEADLINE_BREACHED if missed else EventKind.DEADLINE_WARNING
    entries = []
    for deadline in deadlines:
        entry = CaseEvent(
            case_id=deadline.case_id,
            actor=actor,
            kind=kind,
            params={"rule": deadline.rule.name, "due": f"{deadline.due_on:%Y-%m-%d}"},
        )
        entry.rule_key = deadline.rule.key  # for listeners, not stored: which clock this is
        entries.append(entry)
    rows_written(CaseEvent.objects.bulk_create(entries))
    _announce(entries)


def clocks_paused_event(*, case, actor, reason: str) -> CaseEvent:
    return _record(case, actor=actor, kind=EventKind.DEADLINE_PAUSED, reason=reason)


def clocks_resumed_event(*, case, actor) -> CaseEvent:
    return _record(case, actor=actor, kind=EventKind.DEADLINE_RESUMED)


def _extension_params(extension) -> dict:
    rule = extension.deadline.rule
    return {"rule": rule.name, "days": extension.length, "unit": rule.unit}


def deadline_extension_requested_event(*, case, actor, extension) -> CaseEvent:
    """Someone asked for a deadline's extension (who: the actor; why: the reason)."""
    return _record(
        case,
        actor=actor,
        kind=EventKind.EXTENSION_REQUESTED,
        reason=extension.reason,
        params=_extension_params(extension),
    )


def deadline_extended_event(*, case, actor, extension, reason: str) -> CaseEvent:
    """An extension was approved (by the actor), so the due date moved."""
    params = _extension_params(extension) | {"due": f"{extension.deadline.due_on:%Y-%m-%d}"}
    return _record(
        case, actor=actor, kind=EventKind.DEADLINE_EXTENDED, reason=reason, params=params
    )


def deadline_extension_refused_event(*, case, actor, extension, reason: str) -> CaseEvent:
    return _record(
        case,
        actor=actor,
        kind=EventKind.EXTENSION_REFUSED,
        reason=reason,
        params=_extension_params(extension),
    )


def deadlines_recomputed_event(*, case, actor, year: int, changes: list[dict]) -> CaseEvent:
    """A year's official calendar was published or corrected: `changes` are the clocks whose
    dates moved ({"rule", "was", "due", "provisional"}), put into words when shown."""
    return _record(
        case,
        actor=actor,
        kind=EventKind.DEADLINES_RECOMPUTED,
        params={"year": year, "changes": changes},
    )


def deadlines_cancelled_event(
    *, case, actor, rules: list[str], why: str, chained: list | None = None
) -> CaseEvent:
    """Open clocks that no longer apply to the case were ended; `why` is a key
    (casework/clocks/paths.py) the timeline puts into the reader's words. `chained`: see
    `_record`."""
    return _record(
        case,
        actor=actor,
        kind=EventKind.DEADLINES_CANCELLED,
        params={"cancelled": rules, "why": why, "state": case.state},
        chained=chained,
    )


# Mediation (written by the mediation app through these functions) --------------------------


def mediation_scheduled_event(*, case, actor, when: str, place: str) -> CaseEvent:
    """`place` empty: a session by meeting link; the reader's word for "online" is added when
    the entry is shown."""
    return _record(
        case,
        actor=actor,
        kind=EventKind.MEDIATION_SCHEDULED,
        is_public=True,
        reason=f"{when} · {place}" if place else when,
    )


def mediation_held_event(*, case, actor, outcome: str) -> CaseEvent:
    """`outcome` is a key: the timeline says it in the reader's words."""
    return _record(case, actor=actor, kind=EventKind.MEDIATION_HELD, is_public=True, reason=outcome)


def mediation_cancelled_event(*, case, actor, reason: str) -> CaseEvent:
    return _record(
        case, actor=actor, kind=EventKind.MEDIATION_CANCELLED, is_public=True, reason=reason
    )


def agreement_recorded_event(*, case, actor, amount) -> CaseEvent:
    return _record(
        case,
        actor=actor,
        kind=EventKind.AGREEMENT_RECORDED,
        is_public=True,
        reason=f"¥{amount:,.2f}",
    )


def agreement_signed_event(*, case, actor) -> CaseEvent:
    return _record(case, actor=actor, kind=EventKind.AGREEMENT_SIGNED, is_public=True)


def agreement_voided_event(*, case, actor, reason: str, drawn_up_on: str, amount) -> CaseEvent:
    """A draft agreement withdrawn before it bound anyone: the worker reads which draft (the
    day it was drawn up, the amount) and why, so a later draft does not look like a second
    live one."""
    return _record(
        case,
        actor=actor,
        kind=EventKind.AGREEMENT_VOIDED,
        is_public=True,
        reason=reason,
        params={"drawn_up": drawn_up_on, "amount": f"¥{amount:,.2f}"},
    )


# The employer chain ------------------------------------------------------------------------


def employer_responded_event(*, case, actor, params: dict) -> CaseEvent:
    """An employer's answer (platforms.responses), in the reader's words when shown: the same
    words as its notification (`params`: answer, company, amount, pay_by, instalments, late)."""
    return _record(
        case, actor=actor, kind=EventKind.EMPLOYER_RESPONDED, is_public=True, params=params
    )


def employer_question_event(*, case, actor, company: str, question: str) -> CaseEvent:
    """Between the employer and the bureau: not shown to the worker."""
    return _record(
        case,
        actor=actor,
        kind=EventKind.EMPLOYER_QUESTION,
        reason=question,
        params={"company": company},
    )


def employer_question_answered_event(*, case, actor, answer: str) -> CaseEvent:
    return _record(case, actor=actor, kind=EventKind.EMPLOYER_QUESTION_ANSWERED, reason=answer)


# Merging, splitting and the worker's rating (casework.merging, casework.ratings) -----------
# `reason` holds the other case's reference, or the rating's level as the worker chose it.


def case_merged_from_event(*, case, actor, merged_reference: str) -> CaseEvent:
    return _record(
        case, actor=actor, kind=EventKind.MERGED_FROM, is_public=True, reason=merged_reference
    )


def case_split_events(*, original, new_case, actor) -> None:
    _record(
        original, actor=actor, kind=EventKind.SPLIT_OFF, is_public=True, reason=new_case.reference
    )
    _record(
        new_case, actor=actor, kind=EventKind.SPLIT_FROM, is_public=True, reason=original.reference
    )


def case_rated_event(*, case, actor, level: int) -> CaseEvent:
    """The level is stored as its number; casework.ratings puts it into the reader's words."""
    return _record(case, actor=actor, kind=EventKind.RATED, is_public=True, reason=str(level))


def rating_review_event(*, case, actor, detail: str) -> CaseEvent:
    """A step of the review of a bad rating (opened, called back, put right, not upheld):
    internal, the worker reads the outcome on their case page."""
    return _record(case, actor=actor, kind=EventKind.RATING_REVIEW, reason=detail)


# The arrears ledger ------------------------------------------------------------------------
# `reason` holds the amount as the worker reads it (and what a person wrote, after it).


def ledger_event(*, case, actor, kind: str, detail: str, is_public: bool = True) -> CaseEvent:
    """A verified amount, a payment, its correction or confirmation, an instalment or a
    payment order missed: `kind` is one of the ledger's EventKinds."""
    if kind not in LEDGER_KINDS:
        raise ValueError(kind)
    return _record(case, actor=actor, kind=kind, is_public=is_public, reason=detail)


LEDGER_KINDS = {
    EventKind.AMOUNT_VERIFIED,
    EventKind.PAYMENT_RECORDED,
    EventKind.PAYMENT_REVERSED,
    EventKind.PAYMENT_CONFIRMED,
    EventKind.PAYMENT_DISPUTED,
    EventKind.INSTALMENT_MISSED,
    EventKind.PAYMENT_ORDER_ISSUED,
    EventKind.PAYMENT_ORDER_MISSED,
}
