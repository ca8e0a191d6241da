"""Reads of deadlines for pages: countdowns in words and colour."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.cases.models import Case
from casework.clocks.models import DayUnit, Deadline, DeadlineStatus
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
    running = due_countdown(deadline.due_on, unit=deadline.rule.unit, today=today)
    return Countdown(deadline, running.words, running.tone)


def soon_until(today: date) -> date:
    """The last day of "due soon": the queue, the dashboard and the colours all ask here.
    Working days for every clock: a statutory period never ends on a rest day, and the staff
    who must act work on working days."""
    return load_calendar().add_working_days(today, SOON_WORKING_DAYS).day


def due_countdown(due: date, *, unit: str = DayUnit.WORKING, today: date | None = None):
    """Words and tone for a running clock due on `due`, counted in the clock's own unit:
    calendar days for a calendar-day period (剩余 21 天), working days for a working-day one
    (剩余 21 个工作日)."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    deadline = None
    in_days = unit == DayUnit.CALENDAR
    if due < today:
        if in_days:
            late = (today - due).days
            words = ngettext("overdue by %(n)d day", "overdue by %(n)d days", late)
        else:
            late = calendar.working_days_between(due, today)
            words = ngettext("overdue by %(n)d working day", "overdue by %(n)d working days", late)
        return Countdown(deadline, words % {"n": late}, "overdue")
    if due == today:
        return Countdown(deadline, _("due today"), "soon")
    if in_days:
        left = (due - today).days
        words = ngettext("%(n)d day left", "%(n)d days left", left)
    else:
        left = calendar.working_days_between(today, due)
        words = ngettext("%(n)d working day left", "%(n)d working days left", left)
    return Countdown(deadline, words % {"n": left}, "soon" if due <= soon_until(today) else "ok")


def accept_due_for(case: Case) -> Dated | None:
    """When the worker should hear whether their complaint is accepted."""
    deadline = next((d for d in case.deadlines.all() if d.rule.key == "INSPECTION_ACCEPT"), None)
    if deadline is None:
        return None
    return Dated(deadline.due_on, deadline.provisional)
