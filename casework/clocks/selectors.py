"""Reads of deadlines for pages: countdowns in words and colour."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.cases.models import Case
from casework.clocks.models import Deadline, DeadlineStatus
from casework.clocks.work_calendar import Dated, load_calendar

SOON_WORKING_DAYS = 2


@dataclass(frozen=True)
class Countdown:
    """A deadline as a page shows it: words first, the colour only repeats them."""

    deadline: Deadline | None
    words: str
    tone: str  # ok, soon, overdue, paused, done


def countdown(deadline: Deadline, *, today: date | None = None) -> Countdown:
    if deadline.status == DeadlineStatus.MET:
        return Countdown(deadline, _("met"), "done")
    if deadline.status == DeadlineStatus.BREACHED:
        return Countdown(deadline, _("met late"), "done")
    if deadline.status == DeadlineStatus.CANCELLED:
        return Countdown(deadline, _("no longer applies"), "done")
    if deadline.status == DeadlineStatus.PAUSED:
        return Countdown(deadline, _("paused"), "paused")
    running = due_countdown(deadline.due_on, today=today)
    return Countdown(deadline, running.words, running.tone)


def due_countdown(due: date, *, today: date | None = None) -> Countdown:
    """Words and tone for a running clock due on `due`."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    deadline = None
    if due < today:
        late = calendar.working_days_between(due, today)
        words = ngettext("overdue by %(n)d working day", "overdue by %(n)d working days", late) % {
            "n": late
        }
        return Countdown(deadline, words, "overdue")
    if due == today:
        return Countdown(deadline, _("due today"), "soon")
    left = calendar.working_days_between(today, due)
    words = ngettext("%(n)d working day left", "%(n)d working days left", left) % {"n": left}
    return Countdown(deadline, words, "soon" if left <= SOON_WORKING_DAYS else "ok")


def accept_due_for(case: Case) -> Dated | None:
    """When the worker should hear whether their complaint is accepted."""
    deadline = next((d for d in case.deadlines.all() if d.rule.key == "INSPECTION_ACCEPT"), None)
    if deadline is None:
        return None
    return Dated(deadline.due_on, deadline.provisional)
