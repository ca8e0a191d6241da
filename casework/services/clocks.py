"""Statutory clocks on cases: start, meet, pause, extend, and the sweep that warns and
escalates. Callers hold the case row lock (lock order: case, then its deadlines)."""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.access import case_roles, scope_for
from casework.case_choices import EventKind
from casework.choices import Role
from casework.models import (
    Case,
    CaseEvent,
    Deadline,
    DeadlineExtension,
    DeadlinePause,
    DeadlineRule,
    NotificationKind,
    User,
)
from casework.models.clocks import DayUnit, DeadlineStatus
from casework.notifications import (
    case_changed,
    notify,
    notify_many,
    supervisor_scopes,
    supervisors_over,
    team_members,
)
from casework.routing import team_above, team_below
from casework.services.errors import ActionRefused, CaseNotFound
from casework.work_calendar import Dated, WorkCalendar, load_calendar

logger = logging.getLogger(__name__)
OPEN = (DeadlineStatus.RUNNING, DeadlineStatus.PAUSED)
TERMINAL_EVENTS = {"decline", "transfer", "withdraw", "close", "refer", "report_breach", "resolve"}


def system_user() -> User:
    return User.objects.get(username=settings.ANXIN_SYSTEM_USERNAME)


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


def _event(case, *, actor, kind, reason="", is_public=False):
    CaseEvent.objects.create(case=case, actor=actor, kind=kind, reason=reason, is_public=is_public)


def clocks_on_event(*, case: Case, event: str, actor: User, on: date | None = None) -> None:
    """Meet the clocks `event` meets, cancel those a terminal event ends, start those it
    starts. Called inside the transaction that holds the case lock."""
    on = on or timezone.localdate()
    now = timezone.now()
    running = list(
        Deadline.objects.select_for_update()
        .filter(case=case, status__in=OPEN)
        .select_related("rule")
    )
    for deadline in running:
        if event in deadline.rule.stops():
            deadline.status = (
                DeadlineStatus.MET if deadline.due_on >= on else DeadlineStatus.BREACHED
            )
            deadline.closed_at = deadline.closed_at or now
            deadline.save(update_fields=["status", "closed_at"])
        elif event in TERMINAL_EVENTS:
            deadline.status, deadline.closed_at = DeadlineStatus.CANCELLED, now
            deadline.save(update_fields=["status", "closed_at"])
    calendar = load_calendar()
    for rule in DeadlineRule.objects.filter(starts_on=event, is_active=True):
        deadline = Deadline(case=case, rule=rule, length=_length_for(rule, case), started_on=on)
        recompute(deadline, calendar=calendar, today=on)
        deadline.save()


def _lock_for_staff(actor: User, case_id: int, roles_needed: set[Role]) -> Case:
    from casework.access import visible_cases_q

    scope = scope_for(actor)
    try:
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("team", "jurisdiction")
            .get(visible_cases_q(scope), pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise CaseNotFound from exc
    if not case_roles(scope, case) & roles_needed:
        raise ActionRefused(_("Your role does not allow this on this case."))
    return case


def case_clocks_pause(*, actor: User, case_id: int, reason: str) -> int:
    """Pause every running clock of a case (e.g. while waiting for the worker).

    Changes: a DeadlinePause per clock, their status, an internal timeline event."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give a reason."), field="reason")
    with transaction.atomic():
        case = _lock_for_staff(
            actor, case_id, {Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR, Role.SUPERVISOR}
        )
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
        _event(case, actor=actor, kind=EventKind.DEADLINE_PAUSED, reason=reason)
    return len(running)


def case_clocks_resume(*, actor: User, case_id: int) -> int:
    """Resume paused clocks; their due dates move by the paused working (or calendar) days."""
    with transaction.atomic():
        case = _lock_for_staff(
            actor, case_id, {Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR, Role.SUPERVISOR}
        )
        paused = list(
            Deadline.objects.select_for_update()
            .filter(case=case, status=DeadlineStatus.PAUSED)
            .select_related("rule")
        )
        if not paused:
            raise ActionRefused(_("No clock is paused on this case."))
        today = timezone.localdate()
        for deadline in paused:
            deadline.pauses.filter(ended_on__isnull=True).update(ended_on=today)
            deadline.status = DeadlineStatus.RUNNING
            recompute(deadline, today=today)
            deadline.save(update_fields=["status", "due_on", "warn_on", "provisional"])
        _event(case, actor=actor, kind=EventKind.DEADLINE_RESUMED)
    return len(paused)


def deadline_extend(*, actor: User, deadline_id: int, reason: str) -> DeadlineExtension:
    """Request the rule's extension; a supervisor's request is approved at once.

    Changes: a DeadlineExtension; when approved, the deadline's due date."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give a reason."), field="reason")
    with transaction.atomic():
        try:
            case_id = Deadline.objects.values_list("case_id", flat=True).get(pk=deadline_id)
        except (Deadline.DoesNotExist, ValueError, TypeError) as exc:
            raise CaseNotFound from exc
        case = _lock_for_staff(actor, case_id, {Role.COORDINATOR, Role.INSPECTOR, Role.SUPERVISOR})
        deadline = Deadline.objects.select_for_update().select_related("rule").get(pk=deadline_id)
        if not deadline.rule.extension_length:
            raise ActionRefused(_("This deadline cannot be extended."))
        if deadline.status not in OPEN:
            raise ActionRefused(_("This deadline is already closed."))
        if deadline.extensions.exists():
            raise ActionRefused(_("This deadline has already been extended once."))
        approved = Role.SUPERVISOR in case_roles(scope_for(actor), case)
        extension = DeadlineExtension.objects.create(
            deadline=deadline,
            length=deadline.rule.extension_length,
            reason=reason,
            requested_by=actor,
            approved_by=actor if approved else None,
            approved_at=timezone.now() if approved else None,
        )
        if approved:
            recompute(deadline)
            deadline.save(update_fields=["due_on", "warn_on", "provisional"])
        _event(case, actor=actor, kind=EventKind.DEADLINE_EXTENDED, reason=reason)
    return extension


def deadline_extension_approve(*, actor: User, extension_id: int) -> DeadlineExtension:
    with transaction.atomic():
        try:
            extension = DeadlineExtension.objects.select_related("deadline").get(pk=extension_id)
        except (DeadlineExtension.DoesNotExist, ValueError, TypeError) as exc:
            raise CaseNotFound from exc
        _lock_for_staff(actor, extension.deadline.case_id, {Role.SUPERVISOR})
        deadline = (
            Deadline.objects.select_for_update()
            .select_related("rule")
            .get(pk=extension.deadline_id)
        )
        extension = DeadlineExtension.objects.select_for_update().get(pk=extension_id)
        if extension.approved_by_id:
            raise ActionRefused(_("Already approved."))
        extension.approved_by, extension.approved_at = actor, timezone.now()
        extension.save(update_fields=["approved_by", "approved_at"])
        recompute(deadline)
        deadline.save(update_fields=["due_on", "warn_on", "provisional"])
    return extension


# Escalation ----------------------------------------------------------------------------------


def _move_case(case: Case, *, team, actor: User, kind: str, reason: str) -> None:
    """Give the case to `team`; the new team (and, going up, the supervisors) are told."""
    previous_team_id = case.team_id
    case.team = team
    case.assignee = None
    case._history_user = actor
    case._change_reason = f"{kind}: {reason}"
    case.save(update_fields=["team", "assignee", "updated_at"])
    _event(case, actor=actor, kind=kind, reason=f"{team.name}: {reason}")
    audience = team_members(team.pk)
    if kind == EventKind.ESCALATED:
        audience += supervisors_over(case)
    notify(
        recipients=audience,
        kind=NotificationKind.ESCALATED,
        case=case,
        params={"team": team.name, "reason": reason},
    )
    case_changed(case, previous_team_id=previous_team_id)


def case_escalate(*, actor: User, case_id: int, reason: str, system: bool = False) -> Case:
    """Move a case one tier up (station → street team → tier-1 unit office).

    Changes: the case's team (assignee cleared), a history row and an internal event.
    Sends (after commit): notifications to the new team and the supervisors over the case."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give a reason."), field="reason")
    with transaction.atomic():
        if system:
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("team", "jurisdiction")
                .get(pk=case_id)
            )
        else:
            case = _lock_for_staff(actor, case_id, {Role.COORDINATOR, Role.SUPERVISOR})
        target = team_above(case.team, case.jurisdiction)
        if target is None:
            raise ActionRefused(_("This case is already at the top tier."))
        _move_case(case, team=target, actor=actor, kind=EventKind.ESCALATED, reason=reason)
    return case


def case_deescalate(*, actor: User, case_id: int, reason: str) -> Case:
    """Hand a case back one tier down; supervisors only."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give a reason."), field="reason")
    with transaction.atomic():
        case = _lock_for_staff(actor, case_id, {Role.SUPERVISOR})
        target = team_below(case.team, case.jurisdiction)
        if target is None:
            raise ActionRefused(_("This case is already at the lowest tier."))
        _move_case(case, team=target, actor=actor, kind=EventKind.DEESCALATED, reason=reason)
    return case


# The sweep -----------------------------------------------------------------------------------


@dataclass
class SweepReport:
    warned: int = 0
    breached: int = 0
    escalated: int = 0
    skipped_locked: int = 0
    escalated_cases: list[int] = field(default_factory=list)


BATCH = 500


def sweep_deadlines(*, now: datetime | None = None) -> SweepReport:
    """Warn before deadlines and escalate breached cases. Idempotent; safe to run every
    minute and in several copies at once: rows are claimed with SKIP LOCKED and re-checked
    under the lock, so each warning and each escalation happens once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = SweepReport()
    actor = system_user()
    pending = {
        "warn": Q(status=DeadlineStatus.RUNNING, warned_at__isnull=True, warn_on__lte=today),
        "breach": Q(status=DeadlineStatus.RUNNING, due_on__lt=today, breached_at__isnull=True),
    }
    for mode, due in pending.items():
        # The cases are read once, then handled a batch at a time. Asking again after each
        # batch walked the index entries of the rows already handled (dead until vacuumed):
        # quadratic, 19 of the 60 s of a sweep over 1,000,000 clocks.
        case_ids = sorted(
            set(Deadline.objects.filter(due).order_by().values_list("case_id", flat=True))
        )
        for start in range(0, len(case_ids), BATCH):
            _sweep_batch(case_ids[start : start + BATCH], today, now, actor, report, mode=mode)
    return report


def _sweep_batch(case_ids, today, now, actor, report: SweepReport, *, mode: str) -> None:
    """Process one batch (another sweep may hold or have handled some or all of it), in bulk:
    UPDATEs for the clocks, one INSERT for the timeline events, escalations by _escalate_many."""
    with transaction.atomic():
        # Same lock order as transitions: cases first, then their deadlines.
        cases = {
            case.pk: case
            for case in Case.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("team", "jurisdiction", "assignee")
            .filter(pk__in=case_ids)
        }
        report.skipped_locked += len(set(case_ids) - set(cases))
        if not cases:
            return
        deadlines = (
            Deadline.objects.select_for_update()
            .select_related("rule")
            .filter(case_id__in=list(cases), status=DeadlineStatus.RUNNING)
        )
        if mode == "warn":
            deadlines = list(deadlines.filter(warned_at__isnull=True, warn_on__lte=today))
        else:
            deadlines = list(deadlines.filter(due_on__lt=today, breached_at__isnull=True))
        if not deadlines:
            return
        kind = EventKind.DEADLINE_WARNING if mode == "warn" else EventKind.DEADLINE_BREACHED
        events = [
            CaseEvent(
                case_id=d.case_id,
                actor=actor,
                kind=kind,
                reason=f"{d.rule.name} · {d.due_on:%Y-%m-%d}",
            )
            for d in deadlines
        ]
        escalate: dict[int, list[str]] = {}
        newly_escalated = []
        for deadline in deadlines:
            if mode == "warn":
                deadline.warned_at = now
            else:
                deadline.breached_at = now
                if deadline.rule.escalate_on_breach and not deadline.escalated:
                    deadline.escalated = True
                    newly_escalated.append(deadline.pk)
                    escalate.setdefault(deadline.case_id, []).append(deadline.rule.name)
        # Plain UPDATEs: every row gets the same values (bulk_update's CASE per row spent a
        # quarter of the sweep resolving expressions).
        handled = Deadline.objects.filter(pk__in=[d.pk for d in deadlines])
        if mode == "warn":
            handled.update(warned_at=now)
        else:
            handled.update(breached_at=now)
            if newly_escalated:
                Deadline.objects.filter(pk__in=newly_escalated).update(escalated=True)
        CaseEvent.objects.bulk_create(events)
        if mode == "warn":
            audiences: dict[int, list[User]] = {}
            warnings = []
            for deadline in deadlines:
                case = cases[deadline.case_id]
                if case.team_id not in audiences:
                    audiences[case.team_id] = team_members(case.team_id)
                warnings.append(
                    (
                        [*audiences[case.team_id], case.assignee],
                        NotificationKind.DEADLINE_WARNING,
                        case,
                        {"rule": deadline.rule.name, "due": f"{deadline.due_on:%Y-%m-%d}"},
                    )
                )
            notify_many(warnings)
            report.warned += len(deadlines)
        else:
            report.breached += len(deadlines)
        if escalate:
            _escalate_many(
                [cases[case_id] for case_id in escalate],
                escalate,
                actor=actor,
                now=now,
                report=report,
            )


def _escalate_many(cases: list[Case], rules_missed: dict[int, list[str]], *, actor, now, report):
    """What _move_case does for one case, for a batch of breached cases in a few statements:
    one UPDATE per target team, one INSERT each for history rows, timeline events and
    notifications (one case at a time made the sweep miss its 10 s at 100,000 cases)."""
    targets: dict[tuple[int, int], object] = {}
    audiences: dict[int, list[User]] = {}
    scopes = supervisor_scopes(False)
    moved: dict[int, list[Case]] = {}
    events, notices, previous_teams = [], [], {}
    for case in cases:
        rules = rules_missed[case.pk]
        key = (case.team_id, case.jurisdiction_id)
        if key not in targets:
            targets[key] = team_above(case.team, case.jurisdiction)
        target = targets[key]
        if target is None:
            logger.warning("Case %s missed %s at the top tier", case.reference, rules)
            continue
        reason = _("Deadline missed: %(rules)s") % {"rules": "、".join(rules)}
        previous_teams[case.pk] = case.team_id
        case.team, case.assignee, case.updated_at = target, None, now
        case._history_user = actor
        case._change_reason = f"{EventKind.ESCALATED}: {reason}"
        moved.setdefault(target.pk, []).append(case)
        events.append(
            CaseEvent(
                case=case, actor=actor, kind=EventKind.ESCALATED, reason=f"{target.name}: {reason}"
            )
        )
        if target.pk not in audiences:
            audiences[target.pk] = team_members(target.pk)
        notices.append(
            (
                audiences[target.pk] + supervisors_over(case, scopes=scopes),
                NotificationKind.ESCALATED,
                case,
                {"team": target.name, "reason": reason},
            )
        )
    if not events:
        return
    for team_id, team_cases in moved.items():
        # The rows are locked by this transaction (select_for_update above).
        Case.objects.filter(pk__in=[c.pk for c in team_cases]).update(
            team_id=team_id, assignee=None, updated_at=now
        )
    escalated = [case for team_cases in moved.values() for case in team_cases]
    Case.history.bulk_history_create(escalated, update=True)
    CaseEvent.objects.bulk_create(events)
    notify_many(notices)
    for case in escalated:
        case_changed(case, previous_team_id=previous_teams[case.pk])
        report.escalated += 1
        report.escalated_cases.append(case.pk)
