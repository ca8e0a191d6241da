"""The sweep: warns before statutory deadlines and escalates cases that missed one."""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.clocks.models import DayUnit, Deadline, DeadlineStatus
from casework.clocks.work_calendar import load_calendar
from casework.core.audit_hook import rows_written
from casework.core.system import system_user
from casework.notifications.audiences import supervisor_scopes, supervisors_over, team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify_many
from casework.organisation.models import User
from casework.organisation.tiers import ROUTE_ESCALATED, moved_route, team_above
from casework.timeline.choices import EventKind
from casework.timeline.events import cases_escalated_events, deadline_events

logger = logging.getLogger(__name__)


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
        # The clocks are tracked: their history (and its chain links) in one INSERT each.
        rows_written(
            Deadline.history.bulk_history_create(deadlines, update=True, default_user=actor)
        )
        deadline_events(deadlines, actor=actor, missed=mode != "warn")
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
                        {
                            "rule": deadline.rule.name,
                            "due": f"{deadline.due_on:%Y-%m-%d}",
                            # how long is left when warned, in the clock's own unit
                            "left": _left(deadline, today),
                            "unit": deadline.rule.unit,
                        },
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


def _left(deadline: Deadline, today) -> int:
    if deadline.rule.unit == DayUnit.CALENDAR:
        return max(0, (deadline.due_on - today).days)
    return load_calendar().working_days_between(today, deadline.due_on)


def _escalate_many(cases: list[Case], rules_missed: dict[int, list[str]], *, actor, now, report):
    """What _move_case does for one case, for a batch of breached cases in a few statements:
    one UPDATE per target team, one INSERT each for history rows, timeline events and
    notifications (one case at a time made the sweep miss its 10 s at 100,000 cases)."""
    targets: dict[tuple[int, int], object] = {}
    audiences: dict[int, list[User]] = {}
    scopes = supervisor_scopes(False)
    moved: dict[tuple[int, int, tuple[str, ...]], list[Case]] = {}
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
        # The reason shown for its team is now this escalation (issue 14): one UPDATE per
        # team, previous team and missed rules, which few cases of a sweep differ in.
        route = moved_route(ROUTE_ESCALATED, team=target, missed=rules, from_team=case.team_id)
        case.team, case.assignee, case.updated_at, case.routing = target, None, now, route
        case._history_user = actor
        case._change_reason = f"{EventKind.ESCALATED}: {reason}"
        moved.setdefault((target.pk, previous_teams[case.pk], tuple(rules)), []).append(case)
        events.append((case, target.name, rules))
        if target.pk not in audiences:
            audiences[target.pk] = team_members(target.pk)
        notices.append(
            (
                audiences[target.pk] + supervisors_over(case, scopes=scopes),
                NotificationKind.ESCALATED,
                case,
                {"team": target.name, "missed": rules},
            )
        )
    if not events:
        return
    for (team_id, _from, _rules), team_cases in moved.items():
        # The rows are locked by this transaction (select_for_update above).
        Case.objects.filter(pk__in=[c.pk for c in team_cases]).update(
            team_id=team_id, assignee=None, updated_at=now, routing=team_cases[0].routing
        )
    escalated = [case for team_cases in moved.values() for case in team_cases]
    rows_written(Case.history.bulk_history_create(escalated, update=True))
    cases_escalated_events(events, actor=actor)
    notify_many(notices)
    for case in escalated:
        case_changed(case, previous_team_id=previous_teams[case.pk])
        report.escalated += 1
        report.escalated_cases.append(case.pk)
