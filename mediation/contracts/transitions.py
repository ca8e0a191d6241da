"""The contract's lifecycle in one table: per transition of the state machine, who may take it,
what it needs, the clocks it starts, stops or resets, the date it records, whether it concludes
the procedure, and whether the contract page offers it as a button.

Where each transition leaves from and goes to stays with the transition methods
(models/contract.py, django-fsm); services/lifecycle.py takes every step by this table, and the
sets below are derived from the two, never kept beside them.

What every step writes: one history row of the contract naming the actor, with the reason
"<name>" or "<name>: <note>", which pages show under the step's label in the reader's language.
A contract is a record the bureau keeps, not a person's case: no step writes a case timeline
entry or sends a notification, and none writes a version (only a change of the text does).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mediation.contracts.access import ContractAccess
from mediation.contracts.choices import ContractState
from mediation.contracts.clocks import FILING, REVIEW
from mediation.contracts.models import CollectiveContract

S = ContractState

# --- Who takes a step --------------------------------------------------------------------

KEEPER = "keeper"  # the bureau's staff who keep the contract (unit offices, supervisors' units)
SUPERVISOR = "supervisor"  # a supervisor over the contract: keeps it and records the review
SYSTEM = "system"  # the sweep, as the system user
ROLES = (KEEPER, SUPERVISOR, SYSTEM)
STAFF = frozenset({KEEPER, SUPERVISOR})


def role_on(access: ContractAccess, contract) -> str | None:
    """The one role a person holds on a contract (None: they may not change it)."""
    if access.can_review(contract):
        return SUPERVISOR
    if access.can_keep(contract):
        return KEEPER
    return None


# --- What a step needs -------------------------------------------------------------------


class Need(StrEnum):
    DATE = "date"  # the day it happened, given by the person; not in the future
    OPINION = "opinion"  # a written review opinion
    FULL_SIDES = "full_sides"  # three or more representatives a side, as many, one chief each
    PASSED_VOTE = "passed_vote"  # the workers' congress approved the text (vote_record takes it)
    REVIEW_OPEN = "review_open"  # the review period has not ended
    REVIEW_OVER = "review_over"  # the review period ended without an objection
    TERM_OVER = "term_over"  # the last day of the term has passed


class Day(StrEnum):
    """The day a step records in its date field."""

    TODAY = "today"
    AFTER_REVIEW = "after_review"  # the day after the review period ends
    AFTER_TERM = "after_term"  # the day after the last day of the term


@dataclass(frozen=True)
class Step:
    # the button's words, and the history reason's in the reader's language
    label: str | Promise
    roles: frozenset[str]
    needs: frozenset[Need] = frozenset()
    # clocks (clocks.FILING, clocks.REVIEW): a clock starts on the step's day, with its due day
    # from the deadline rules; it stops on the step's day; a reset clock has not started
    starts: tuple[str, ...] = ()
    stops: tuple[str, ...] = ()
    resets: tuple[str, ...] = ()
    # the date field the step records, and which day it records there
    stamps: tuple[str, Day] | None = None
    # the procedure is over: the contract is in force or has run its term (it can be renewed)
    concludes: bool = False
    # offered on the contract page; else another service takes it (the vote, the sweep)
    button: bool = True
    date_label: str | Promise = ""
    style: str = "neutral"  # button style: primary, neutral, danger

    @property
    def needs_date(self) -> bool:
        return Need.DATE in self.needs

    @property
    def needs_opinion(self) -> bool:
        return Need.OPINION in self.needs


N = Need

# In the order of the procedure: the contract page lists its buttons, and the sweep takes its
# steps, in this order (a contract brought into force is expired in the same sweep if its term
# is over too).
LIFECYCLE: dict[str, Step] = {
    "start_consulting": Step(
        _("Start consultation"), STAFF, needs=frozenset({N.FULL_SIDES}), style="primary"
    ),
    "approve_by_congress": Step(
        S.CONGRESS_APPROVED.label, STAFF, needs=frozenset({N.PASSED_VOTE}), button=False
    ),
    "sign": Step(
        _("Record the signing by both chiefs"),
        STAFF,
        needs=frozenset({N.DATE}),
        starts=(FILING,),
        date_label=_("Signed on"),
        style="primary",
    ),
    "file": Step(
        _("Record the filing with the bureau"),
        STAFF,
        needs=frozenset({N.DATE}),
        stops=(FILING,),
        starts=(REVIEW,),
        date_label=_("Received by the bureau on"),
        style="primary",
    ),
    "accept_review": Step(
        _("No objection: the contract comes into force"),
        frozenset({SUPERVISOR}),
        stops=(REVIEW,),
        stamps=("in_force_on", Day.TODAY),
        concludes=True,
        style="primary",
    ),
    # The review clock is not stopped here: it runs out, and that brings the contract into force.
    "come_into_force": Step(
        _("In force: no objection within the review period"),
        frozenset({SYSTEM}),
        needs=frozenset({N.REVIEW_OVER}),
        stamps=("in_force_on", Day.AFTER_REVIEW),
        concludes=True,
        button=False,
    ),
    "return_with_opinion": Step(
        _("Return with a review opinion"),
        frozenset({SUPERVISOR}),
        needs=frozenset({N.OPINION, N.REVIEW_OPEN}),
        stops=(REVIEW,),
        style="danger",
    ),
    # A new signing and filing start new clocks; the review opinion stays for reference.
    "revise": Step(_("Revise after the review opinion"), STAFF, resets=(FILING, REVIEW)),
    "expire": Step(
        _("Record that the term is over"),
        STAFF | {SYSTEM},
        needs=frozenset({N.TERM_OVER}),
        stamps=("expired_on", Day.AFTER_TERM),
        concludes=True,
    ),
}

# --- Derived -----------------------------------------------------------------------------

_FSM = list(CollectiveContract._meta.get_field("state").get_all_transitions(CollectiveContract))
# the states each step leaves from, and the state it goes to
SOURCES: dict[str, frozenset[str]] = {
    name: frozenset(t.source for t in _FSM if t.name == name) for name in LIFECYCLE
}
TARGETS: dict[str, str] = {t.name: t.target for t in _FSM if t.name in LIFECYCLE}
# the steps the contract page offers, in the table's order
BUTTONS: dict[str, Step] = {name: step for name, step in LIFECYCLE.items() if step.button}
# the steps the sweep takes, in the table's order
SWEPT: tuple[str, ...] = tuple(name for name, step in LIFECYCLE.items() if SYSTEM in step.roles)
# where the procedure ends; a contract there can be renewed
CONCLUDED_STATES: frozenset[str] = frozenset(
    TARGETS[name] for name, step in LIFECYCLE.items() if step.concludes
)
