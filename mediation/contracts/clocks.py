"""The three statutory clocks of a collective contract, in calendar days.

Lengths come from casework's DeadlineRule rows (CBA_REPLY 20, CBA_FILING 10, CBA_REVIEW 15 by
default; an admin may change them). A period whose last day is a rest day ends on the next
working day, as every statutory period does (casework.work_calendar.add_calendar_days).
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.clocks.models import DayUnit, DeadlineRule
from casework.clocks.work_calendar import Dated, load_calendar

REPLY, FILING, REVIEW = "CBA_REPLY", "CBA_FILING", "CBA_REVIEW"
DEFAULT_LENGTHS = {REPLY: 20, FILING: 10, REVIEW: 15}
SOON_DAYS = 3


@dataclass(frozen=True)
class ClockFields:
    """Where a clock keeps its days on the contract."""

    started: str
    due: str
    done: str


# The clocks the lifecycle's steps start, stop and reset (transitions.py); the reply clock
# follows the key terms instead.
CLOCK_FIELDS = {
    FILING: ClockFields("signed_on", "filing_due_on", "filed_on"),
    REVIEW: ClockFields("filed_on", "review_due_on", "reviewed_on"),
}


def rules_by_key() -> dict[str, DeadlineRule]:
    return {r.key: r for r in DeadlineRule.objects.filter(key__in=DEFAULT_LENGTHS)}


def due_date(key: str, start: date) -> Dated:
    rule = rules_by_key().get(key)
    calendar = load_calendar()
    length = rule.length if rule is not None else DEFAULT_LENGTHS[key]
    if rule is not None and rule.unit == DayUnit.WORKING:
        return calendar.add_working_days(start, length)
    return calendar.add_calendar_days(start, length)


@dataclass(frozen=True)
class ContractClock:
    key: str
    name: str
    started_on: date | None
    due_on: date | None
    done_on: date | None
    done_words: str = ""
    # The review clock is met by the bureau's silence as much as by its decision: never late.
    can_be_late: bool = True

    @property
    def running(self) -> bool:
        return self.due_on is not None and self.done_on is None

    def overdue(self, today: date) -> bool:
        return self.running and today > self.due_on

    @property
    def provisional(self) -> bool:
        return self.due_on is not None and not load_calendar().covers(self.due_on)

    def words(self, today: date) -> str:
        if self.due_on is None:
            return _("not started")
        if self.done_on is not None:
            late = (self.done_on - self.due_on).days
            if late > 0 and self.can_be_late:
                return ngettext("%(what)s, %(n)d day late", "%(what)s, %(n)d days late", late) % {
                    "what": self.done_words,
                    "n": late,
                }
            return self.done_words
        left = (self.due_on - today).days
        if left < 0:
            return ngettext("overdue by %(n)d day", "overdue by %(n)d days", -left) % {"n": -left}
        if left == 0:
            return _("due today")
        return ngettext("%(n)d day left", "%(n)d days left", left) % {"n": left}

    def tone(self, today: date) -> str:
        if self.due_on is None or self.done_on is not None:
            return "done"
        left = (self.due_on - today).days
        if left < 0:
            return "overdue"
        return "soon" if left <= SOON_DAYS else "ok"


@dataclass(frozen=True)
class ClockRow:
    """A clock as a page shows it, evaluated for one day."""

    clock: ContractClock
    words: str
    tone: str
    overdue: bool


def contract_clocks(contract, rules: dict[str, DeadlineRule]) -> list[ContractClock]:
    def name(key: str, fallback: str) -> str:
        return rules[key].name if key in rules else fallback

    reviewed = contract.reviewed_on
    if reviewed is None and contract.filed_on and contract.in_force_on:
        reviewed = contract.review_due_on  # in force by silence, when the period ended
    review_words = (
        _("returned with a review opinion")
        if contract.state == "returned"
        else _("no objection: in force")
    )
    return [
        ContractClock(
            REPLY,
            name(REPLY, _("Reply to the request to bargain")),
            contract.request_on,
            contract.reply_due_on,
            contract.reply_on,
            _("reply received"),
        ),
        ContractClock(
            FILING,
            name(FILING, _("Filing with the bureau")),
            contract.signed_on,
            contract.filing_due_on,
            contract.filed_on,
            _("filed with the bureau"),
        ),
        ContractClock(
            REVIEW,
            name(REVIEW, _("Review by the bureau")),
            contract.filed_on,
            contract.review_due_on,
            reviewed,
            review_words,
            can_be_late=False,
        ),
    ]


def clock_rows(contract, rules) -> list[ClockRow]:
    today = timezone.localdate()
    return [
        ClockRow(clock, clock.words(today), clock.tone(today), clock.overdue(today))
        for clock in contract_clocks(contract, rules)
    ]
