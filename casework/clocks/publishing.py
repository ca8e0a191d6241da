"""Publishing a year's official calendar (or correcting one of its days) moves the due dates
that depend on it: the open clocks whose period touches that year are recomputed, stop being
provisional once every year they touch is known, and each affected case's timeline says why."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework.cases.models import Case
from casework.clocks.models import Deadline
from casework.clocks.services import OPEN, recompute
from casework.clocks.work_calendar import forget_calendar, load_calendar
from casework.organisation.models import User
from casework.timeline.events import deadlines_recomputed_event

BATCH = 200


def calendar_year_published(*, actor: User, year: int) -> int:
    """Recompute the open clocks whose period touches `year`, after an admin published (or
    edited) that year's holidays and make-up workdays. Returns how many cases changed.

    Changes: each such clock's due date, warning date and provisional mark; a timeline entry on
    every case whose dates or mark changed, naming the year and each clock's old and new date.
    """
    forget_calendar()
    first, last = date(year, 1, 1), date(year, 12, 31)
    # Open clocks whose period reaches into the year (a provisional one always might).
    touches = Q(status__in=OPEN, started_on__lte=last) & (
        Q(due_on__gte=first) | Q(provisional=True)
    )
    case_ids = sorted(
        set(Deadline.objects.filter(touches).order_by().values_list("case_id", flat=True))
    )
    changed = 0
    for start in range(0, len(case_ids), BATCH):
        changed += _recompute_cases(case_ids[start : start + BATCH], year, touches, actor)
    return changed


def _recompute_cases(case_ids: list[int], year: int, touches: Q, actor: User) -> int:
    calendar = load_calendar(fresh=True)
    today = timezone.localdate()
    changed = 0
    with transaction.atomic():
        # Lock order as everywhere: the cases, then their clocks.
        cases = {
            case.pk: case
            for case in Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk")
        }
        clocks = (
            Deadline.objects.select_for_update()
            .select_related("rule")
            .prefetch_related("extensions", "pauses")
            .filter(touches, case_id__in=list(cases))
            .order_by("case_id", "pk")
        )
        moves: dict[int, list[dict]] = {}
        for deadline in clocks:
            was, was_provisional = deadline.due_on, deadline.provisional
            recompute(deadline, calendar=calendar, today=today)
            if (deadline.due_on, deadline.provisional) == (was, was_provisional):
                continue
            deadline.save(update_fields=["due_on", "warn_on", "provisional"])
            moves.setdefault(deadline.case_id, []).append(
                {
                    "rule": deadline.rule.name,
                    "was": f"{was:%Y-%m-%d}",
                    "due": f"{deadline.due_on:%Y-%m-%d}",
                    "provisional": deadline.provisional,
                }
            )
        for case_id, changes in moves.items():
            deadlines_recomputed_event(case=cases[case_id], actor=actor, year=year, changes=changes)
            changed += 1
    return changed
