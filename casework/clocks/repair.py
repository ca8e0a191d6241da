"""Bring existing cases' clocks in line with the path tables (casework/clocks/paths.py):
cases that went to mediation still running the 60-working-day investigation clock, reopened
cases with no clock, and clocks left open by a case's earlier life.

A management command (`repair_clocks`) rather than a data migration: the repair must write
each case's timeline entry through casework/timeline/events.py and compute due dates on the
official calendar, neither of which a migration's historical models can do; it can be run
first with --dry-run to see what it would change, and again at any time (it changes nothing
once the clocks agree with the tables)."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from casework.cases.models import Case
from casework.clocks.models import Deadline, DeadlineRule
from casework.clocks.paths import CARRIED_BY_STATE, STALE, carried
from casework.clocks.services import OPEN, clocks_on_event
from casework.organisation.models import User
from casework.timeline.choices import EventKind
from casework.timeline.events import deadlines_cancelled_event
from casework.timeline.models import CaseEvent

# Not a transition: it meets no clock, so every clock the state does not carry is cancelled.
REPAIR = "repair_clocks"


@dataclass
class Repaired:
    reference: str
    cancelled: list[str]
    started: list[str]


def _candidates() -> list[int]:
    active = set(DeadlineRule.objects.filter(is_active=True).values_list("key", flat=True))
    wrong = Q()
    for state, keys in CARRIED_BY_STATE.items():
        open_clocks = Deadline.objects.filter(case=OuterRef("pk"), status__in=OPEN)
        stray = Exists(open_clocks.exclude(rule__key__in=keys))
        wrong |= Q(state=state) & stray
        for key in keys & active:
            missing = ~Exists(open_clocks.filter(rule__key=key))
            wrong |= Q(state=state) & missing
    return list(Case.objects.filter(wrong).order_by("pk").values_list("pk", flat=True))


def _entered_state_on(case: Case) -> date:
    """The day the case entered its present state (a clock it should have runs from then)."""
    moment = (
        CaseEvent.objects.filter(case=case, kind__in=[EventKind.TRANSITION, EventKind.FILED])
        .filter(to_state=case.state)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(moment) if moment else timezone.localdate()


def clocks_repair(*, actor: User, dry_run: bool = False) -> list[Repaired]:
    """Cancel the open clocks a case's state does not carry and start those it carries but
    lacks (from the day it entered that state). Changes: those clocks, and a timeline entry
    on each case whose clocks were cancelled, saying why."""
    repaired = []
    for case_id in _candidates():
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
            before = set(
                Deadline.objects.filter(case=case, status__in=OPEN).values_list("pk", flat=True)
            )
            cancelled = clocks_on_event(
                case=case, event=REPAIR, actor=actor, on=_entered_state_on(case)
            )
            started = list(
                Deadline.objects.filter(case=case, status__in=OPEN)
                .exclude(pk__in=before)
                .values_list("rule__name", flat=True)
            )
            names = [deadline.rule.name for deadline in cancelled]
            if names and not carried(case.state):
                # (for a case that goes on, clocks_on_event has said why already)
                deadlines_cancelled_event(case=case, actor=actor, rules=names, why=STALE)
            repaired.append(Repaired(case.reference, names, started))
            if dry_run:
                transaction.set_rollback(True)
    return repaired
