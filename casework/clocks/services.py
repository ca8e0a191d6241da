"""Statutory clocks on cases: started, met or ended as the case moves (by the tables in
casework/clocks/paths.py), paused and resumed, recomputed on the official calendar.
Extensions are in extensions.py, the sweep in sweep.py, a published calendar year in
publishing.py. Callers hold the case row lock (lock order: case, then its deadlines)."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.db import connection, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.clocks.models import (
    DayUnit,
    Deadline,
    DeadlinePause,
    DeadlineRule,
    DeadlineStatus,
)
from casework.clocks.paths import LEFT_THE_PATH, OFF_PATH, STALE, carried, meets
from casework.clocks.work_calendar import Dated, WorkCalendar, load_calendar
from casework.core import kept_sql
from casework.core.audit_hook import rows_written
from casework.core.errors import ActionRefused
from casework.core.history import history_create, history_rows
from casework.core.kept_inserts import insert_rows
from casework.core.roles import Role
from casework.core.table_copies import TableCopy
from casework.organisation.models import User
from casework.timeline.events import (
    clocks_paused_event,
    clocks_resumed_event,
    deadlines_cancelled_event,
)

logger = logging.getLogger(__name__)
OPEN = (DeadlineStatus.RUNNING, DeadlineStatus.PAUSED)


@dataclass(frozen=True)
class RuleBook:
    by_id: dict[int, DeadlineRule]  # every rule: an open clock may keep one switched off since
    active: dict[str, DeadlineRule]  # the switched-on rules, by key


def _rule_book() -> RuleBook:
    rules = list(DeadlineRule.objects.all())
    return RuleBook(
        by_id={rule.pk: rule for rule in rules},
        active={rule.key: rule for rule in rules if rule.is_active},
    )


# The clock rules (a dozen rows), read by every intake and transition.
clock_rules = TableCopy("clock-rules", _rule_book, watch=(DeadlineRule,))


def _rules(keys) -> list[DeadlineRule]:
    """The switched-on rules of these keys, in key order (as the query it replaces)."""
    rules = clock_rules.get().active
    return [rules[key] for key in sorted(keys) if key in rules]


def _open_clocks(case: Case) -> list[Deadline]:
    """The case's open clocks on its path, locked, with their rules from the copy: joining
    the rules would lock their rows too (FOR UPDATE locks every joined table), making every
    transition of every case wait on the same dozen rows."""
    book = clock_rules.get()
    off_path = tuple(pk for pk, rule in book.by_id.items() if rule.key in OFF_PATH)
    clocks = kept_sql.fetch(
        ("open clocks", off_path),
        lambda case_id: (
            Deadline.objects.select_for_update()
            .filter(case_id=case_id, status__in=OPEN)
            .exclude(rule_id__in=off_path)
        ),
        case.pk,
    )
    for deadline in clocks:
        rule = book.by_id.get(deadline.rule_id)
        if rule is None or rule.key in OFF_PATH:  # a rule newer than the copy: read it
            deadline.rule = DeadlineRule.objects.get(pk=deadline.rule_id)
        else:
            deadline.rule = rule
    return [deadline for deadline in clocks if deadline.rule.key not in OFF_PATH]


def _add(calendar: WorkCalendar, unit: str, start: date, days: int) -> Dated:
    if unit == DayUnit.WORKING:
        return calendar.add_working_days(start, days)
    return calendar.add_calendar_days(start, days)


def _paused_length(calendar: WorkCalendar, unit: str, pauses, today: date) -> int:
    total = 0
    for pause in pauses:
        end = pause.ended_on or today
        if unit == DayUnit.WORKING:
            total += calendar.working_days_between(pause.started_on, end)
        else:
            total += (end - pause.started_on).days
    return total


def recompute(
    deadline: Deadline, *, calendar: WorkCalendar | None = None, today: date | None = None
):
    """Set due_on, warn_on and provisional from the length, approved extensions and pauses."""
    calendar = calendar or load_calendar()
    today = today or timezone.localdate()
    rule = deadline.rule
    extra = paused = 0
    if deadline.pk:  # a new clock has neither extensions nor pauses
        extra = sum(e.length for e in deadline.extensions.all() if e.approved_by_id)
        paused = _paused_length(calendar, rule.unit, deadline.pauses.all(), today)
    due = _add(calendar, rule.unit, deadline.started_on, deadline.length + extra + paused)
    deadline.due_on, deadline.provisional = due.day, due.provisional
    if rule.unit == DayUnit.WORKING:
        deadline.warn_on = _back_working_days(calendar, due.day, rule.warn_before)
    else:
        deadline.warn_on = due.day - timedelta(days=rule.warn_before)


def _back_working_days(calendar: WorkCalendar, day: date, days: int) -> date:
    current = day
    while days > 0:
        current -= timedelta(days=1)
        if calendar.is_working_day(current):
            days -= 1
    return current


def _length_for(rule: DeadlineRule, case: Case) -> int:
    if rule.key == "PLATFORM_RESPONSE":
        platform = next(
            (p.company for p in case.parties.all() if p.company_id and p.kind == "platform"), None
        )
        if platform is not None:
            return platform.response_working_days
    return rule.length


def _history_rows(ended: list[Deadline], started: list[Deadline]) -> list:
    """The history rows of clocks ended ("~") and started ("+") in one INSERT: the rows
    simple-history's `bulk_history_create` writes for each list, without a statement each."""
    return insert_rows(history_rows(ended, update=True) + history_rows(started))


def _save_ended(ended: list[Deadline]) -> None:
    """One UPDATE per (status, closing moment): usually one for all of them (bulk_update's
    CASE per row and field costs more to build and to plan). Their history is written by the
    caller."""
    groups: dict[tuple, list[int]] = {}
    for deadline in ended:
        groups.setdefault((deadline.status, deadline.closed_at), []).append(deadline.pk)
    database = connections[router.db_for_write(Deadline)]
    for (status, closed_at), pks in groups.items():
        if database.vendor == "postgresql":  # a statement of its own, not a compiled one
            with database.cursor() as cursor:
                cursor.execute(_close_sql(), [str(status), closed_at, pks])
        else:
            Deadline.objects.filter(pk__in=pks).update(status=status, closed_at=closed_at)


@cache
def _close_sql() -> str:
    """Names from the model, quoted; the values are parameters."""
    qn = connection.ops.quote_name
    meta = Deadline._meta
    column = {name: qn(meta.get_field(name).column) for name in ("status", "closed_at")}
    return (
        f"UPDATE {qn(meta.db_table)} SET {column['status']} = %s, "  # noqa: S608
        f"{column['closed_at']} = %s WHERE {qn(meta.pk.column)} = ANY(%s)"
    )


def clocks_on_event(
    *,
    case: Case,
    event: str,
    actor: User,
    on: date | None = None,
    ends_clocks: bool = False,
    chained: list | None = None,
) -> list[Deadline]:
    """Bring the case's clocks in line with the step it just took (`event`: a transition's
    name, or "filed"), by the tables in casework/clocks/paths.py: each open clock its new state
    does not carry ends, met when `event` meets it and cancelled otherwise (it no longer
    applies on this path); each clock the new state carries and that is not open starts.
    (`ends_clocks`, the lifecycle's word for a concluding step, is implied: no concluded state
    carries a clock.) Cancelling clocks of a case that goes on records why on its timeline.
    Called inside the transaction that holds the case lock; returns the clocks cancelled.
    With `chained` (a list), the rows written are added to it for the caller to hand to the
    audit chain with its own, in one statement; otherwise they are chained here."""
    on = on or timezone.localdate()
    now = timezone.now()
    keep = carried(case.state)
    open_clocks = _open_clocks(case)
    cancelled, ended = [], []
    for deadline in open_clocks:
        if deadline.rule.key in keep and not meets(deadline.rule.key, event):
            continue
        if meets(deadline.rule.key, event):
            deadline.status = (
                DeadlineStatus.MET if deadline.due_on >= on else DeadlineStatus.BREACHED
            )
        else:
            deadline.status = DeadlineStatus.CANCELLED
            cancelled.append(deadline)
        deadline.closed_at = deadline.closed_at or now
        ended.append(deadline)
    # One UPDATE, one INSERT of clocks, one of their history and one chain append (or none,
    # with `chained`) for all of them, not one of each per clock: this runs on every intake and
    # every transition.
    _save_ended(ended)
    still_open = {d.rule.key for d in open_clocks if d.status in OPEN}
    to_start = keep - still_open
    started = []
    if to_start:
        calendar = load_calendar()
        for rule in _rules(to_start):
            deadline = Deadline(case=case, rule=rule, length=_length_for(rule, case), started_on=on)
            recompute(deadline, calendar=calendar, today=on)
            started.append(deadline)
        started = insert_rows(started)
    history = _history_rows(ended, started)  # tracked
    if chained is None:
        rows_written(history)  # and chained
    else:
        chained.extend(history)
    if cancelled and keep:
        # The case goes on without them: say why on its timeline (a concluded case's ended
        # clocks need no word beyond the transition's own).
        deadlines_cancelled_event(
            case=case,
            actor=actor,
            rules=[deadline.rule.name for deadline in cancelled],
            why=STALE if event == "reopen" else LEFT_THE_PATH,
            chained=chained,
        )
    return cancelled


def clocks_start_for_filed(*, cases: list[Case], on: date | None = None) -> list[Deadline]:
    """The clocks of many freshly filed cases (an import): what clocks_on_event(event="filed")
    starts for one, in one INSERT. The cases are new: they have no open clock to end."""
    on = on or timezone.localdate()
    calendar = load_calendar()
    new_state = Case._meta.get_field("state").default
    rules = _rules(carried(new_state))
    clocks = []
    for case in cases:
        for rule in rules:
            deadline = Deadline(case=case, rule=rule, length=_length_for(rule, case), started_on=on)
            recompute(deadline, calendar=calendar, today=on)
            clocks.append(deadline)
    created = insert_rows(clocks)
    rows_written(history_create(created))  # tracked, chained
    return created


def case_clocks_pause(*, actor: User, case_id: int, reason: str) -> int:
    """Pause every running clock of a case (e.g. while waiting for the worker).

    Changes: a DeadlinePause per clock, their status, an internal timeline event."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give a reason."), field="reason")
    with transaction.atomic():
        case = Case.objects.lock_for(
            actor=actor,
            case_id=case_id,
            roles_needed={Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR, Role.SUPERVISOR},
        )[0]
        running = list(
            Deadline.objects.select_for_update().filter(case=case, status=DeadlineStatus.RUNNING)
        )
        if not running:
            raise ActionRefused(_("No clock is running on this case."))
        today = timezone.localdate()
        for deadline in running:
            DeadlinePause.objects.create(
                deadline=deadline, started_on=today, reason=reason, actor=actor
            )
            deadline.status = DeadlineStatus.PAUSED
            deadline.save(update_fields=["status"])
        clocks_paused_event(case=case, actor=actor, reason=reason)
    return len(running)


def case_clocks_resume(*, actor: User, case_id: int) -> int:
    """Resume paused clocks; their due dates move by the paused working (or calendar) days."""
    with transaction.atomic():
        case = Case.objects.lock_for(
            actor=actor,
            case_id=case_id,
            roles_needed={Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR, Role.SUPERVISOR},
        )[0]
        paused = list(
            Deadline.objects.select_for_update()
            .filter(case=case, status=DeadlineStatus.PAUSED)
            .select_related("rule")
        )
        if not paused:
            raise ActionRefused(_("No clock is paused on this case."))
        today = timezone.localdate()
        for deadline in paused:
            for pause in deadline.pauses.filter(ended_on__isnull=True):
                pause.ended_on = today
                pause.save(update_fields=["ended_on"])  # tracked: each end is history
            deadline.status = DeadlineStatus.RUNNING
            recompute(deadline, today=today)
            deadline.save(update_fields=["status", "due_on", "warn_on", "provisional"])
        clocks_resumed_event(case=case, actor=actor)
    return len(paused)


def off_path_clock_start(*, case: Case, rule_key: str, on: date | None = None) -> Deadline | None:
    """Start a clock that belongs to no step of the case's path (paths.OFF_PATH: the review
    of a bad rating), on the official calendar. None when its rule is switched off. The caller
    holds the case row lock."""
    if rule_key not in OFF_PATH:
        raise ValueError(rule_key)
    rule = clock_rules.get().active.get(rule_key)
    if rule is None:
        return None
    on = on or timezone.localdate()
    deadline = Deadline(case=case, rule=rule, length=rule.length, started_on=on)
    recompute(deadline, today=on)
    deadline.save()
    return deadline


def off_path_clock_end(*, deadline: Deadline | None, met: bool, on: date | None = None) -> None:
    """Close an off-path clock: met (late if past its due date) or no longer applying."""
    if deadline is None or deadline.status not in OPEN:
        return
    on = on or timezone.localdate()
    if met:
        deadline.status = DeadlineStatus.MET if deadline.due_on >= on else DeadlineStatus.BREACHED
    else:
        deadline.status = DeadlineStatus.CANCELLED
    deadline.closed_at = timezone.now()
    deadline.save(update_fields=["status", "closed_at"])
