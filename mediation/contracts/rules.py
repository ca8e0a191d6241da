"""The procedure's rules, as plain functions: the term, the representatives, the congress vote.
Each returns the translated problems a person must fix. Who may take which step, and what it
needs, is the lifecycle table's (transitions.py)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from mediation.contracts.choices import Side

MIN_REPRESENTATIVES = 3
MIN_TERM_YEARS, MAX_TERM_YEARS = 1, 3
# Bounds that keep date arithmetic safe (a year 9999 start cannot have a term after it).
EARLIEST_START, LATEST_START = date(2000, 1, 1), date(2099, 12, 31)


# --- Term --------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_bounds(start: date) -> tuple[date, date]:
    """The earliest and latest last day of a term starting on `start` (both days included):
    a one-year term from 1 January ends on 31 December."""
    return (
        add_years(start, MIN_TERM_YEARS) - timedelta(days=1),
        add_years(start, MAX_TERM_YEARS) - timedelta(days=1),
    )


def term_problem(start: date | None, end: date | None) -> str | None:
    if start is None or end is None:
        return _("Give the first and the last day of the term.")
    if not EARLIEST_START <= start <= LATEST_START:
        return _("The term must start between %(earliest)s and %(latest)s.") % {
            "earliest": f"{EARLIEST_START:%Y-%m-%d}",
            "latest": f"{LATEST_START:%Y-%m-%d}",
        }
    shortest, longest = term_bounds(start)
    if end < shortest or end > longest:
        return _(
            "A collective contract runs for one to three years: from %(start)s the last day "
            "must be between %(shortest)s and %(longest)s."
        ) % {
            "start": f"{start:%Y-%m-%d}",
            "shortest": f"{shortest:%Y-%m-%d}",
            "longest": f"{longest:%Y-%m-%d}",
        }
    return None


# --- Representatives ---------------------------------------------------------------------


def representative_problems(representatives: Iterable) -> list[str]:
    """Equal numbers, at least three a side, exactly one chief a side (集体合同规定 §19-20)."""
    counts = {Side.WORKERS: 0, Side.EMPLOYER: 0}
    chiefs = {Side.WORKERS: 0, Side.EMPLOYER: 0}
    for person in representatives:
        counts[Side(person.side)] += 1
        chiefs[Side(person.side)] += int(person.is_chief)
    problems = []
    for side in Side:
        if counts[side] < MIN_REPRESENTATIVES:
            problems.append(
                _("%(side)s: at least %(min)d representatives are needed, there are %(n)d.")
                % {"side": side.label, "min": MIN_REPRESENTATIVES, "n": counts[side]}
            )
    if counts[Side.WORKERS] != counts[Side.EMPLOYER]:
        problems.append(
            _(
                "Both sides need the same number of representatives: the workers' side has "
                "%(workers)d, the employer side %(employer)d."
            )
            % {"workers": counts[Side.WORKERS], "employer": counts[Side.EMPLOYER]}
        )
    for side in Side:
        if chiefs[side] != 1:
            problems.append(
                _("%(side)s: exactly one chief representative is needed, there are %(n)d.")
                % {"side": side.label, "n": chiefs[side]}
            )
    return problems


# --- The workers' congress ---------------------------------------------------------------


@dataclass(frozen=True)
class VoteCount:
    members: int
    attended: int
    yes: int
    no: int
    abstain: int


MAX_MEMBERS = 1_000_000

# 集体合同规定 §36: 三分之二以上 of all members attend and 半数以上 of all members vote yes. In
# Chinese legal drafting 以上 includes the number itself (民法典 §1259): 60 yes of 120 members
# pass, and 80 of 120 attending is enough.


def vote_number_problems(count: VoteCount) -> dict[str, str]:
    """Numbers that cannot be true, by field."""
    problems: dict[str, str] = {}
    for name in ("members", "attended", "yes", "no", "abstain"):
        value = getattr(count, name)
        if value < 0:
            problems[name] = _("A count of people cannot be negative.")
        elif value > MAX_MEMBERS:
            problems[name] = _("Enter a number between 0 and %(max)d.") % {"max": MAX_MEMBERS}
    if problems:
        return problems
    if count.members < 1:
        problems["members"] = _("The congress has at least one member.")
        return problems
    if count.attended > count.members:
        problems["attended"] = _(
            "%(attended)d attended, but the congress has only %(members)d members."
        ) % {"attended": count.attended, "members": count.members}
        return problems
    if count.yes > count.attended:
        problems["yes"] = _(
            "%(yes)d voted yes, but only %(attended)d members attended: only those present vote."
        ) % {"yes": count.yes, "attended": count.attended}
        return problems
    ballots = count.yes + count.no + count.abstain
    if ballots > count.attended:
        problems["yes"] = _(
            "Yes, no and abstentions add up to %(ballots)d, more than the %(attended)d "
            "members who attended."
        ) % {"ballots": ballots, "attended": count.attended}
    return problems


def attendance_needed(members: int) -> int:
    """The fewest members who make two thirds or more of all members."""
    return -(-members * 2 // 3)


def yes_needed(members: int) -> int:
    """The fewest yes votes that make half or more of all members."""
    return -(-members // 2)


def quorum_reached(count: VoteCount) -> bool:
    """Two thirds or more of all members attend (integers: no rounding)."""
    return count.attended * 3 >= count.members * 2


def majority_reached(count: VoteCount) -> bool:
    """Half or more of all members, not only of those present, vote yes."""
    return count.yes * 2 >= count.members


def vote_passes(count: VoteCount) -> bool:
    return quorum_reached(count) and majority_reached(count)


def vote_failure_reasons(count: VoteCount) -> list[str]:
    reasons = []
    if not quorum_reached(count):
        reasons.append(
            _(
                "only %(attended)d of %(members)d members attended; attendance must reach two "
                "thirds of all members or more (two thirds included): at least %(needed)d"
            )
            % {
                "attended": count.attended,
                "members": count.members,
                "needed": attendance_needed(count.members),
            }
        )
    if not majority_reached(count):
        reasons.append(
            _(
                "%(yes)d voted yes; yes votes must reach half of all %(members)d members or "
                "more (half included): at least %(needed)d"
            )
            % {"yes": count.yes, "members": count.members, "needed": yes_needed(count.members)}
        )
    return reasons
