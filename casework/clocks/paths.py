"""Which statutory clocks run on which path a case takes: one table per question.

- `CARRIED_BY_STATE`: the clocks a case in that state runs. A transition starts those its new
  state carries and that are not already open (record_response back to verifying keeps the
  investigation's clock; reopen, which finds none open, starts a fresh one), and ends every
  open clock the new state does not carry.
- `MET_BY`: the transitions that do what a clock asks for. An ended clock is met (on time or
  late) when the transition taken is one of them; otherwise it no longer applies (cancelled):
  start_mediation takes the case off the inspection path, so its 60-working-day investigation
  ends without being met, and mediation's own 15 days start.

The rules' lengths, units, extensions and warnings are data an admin edits (DeadlineRule);
which clock belongs to which step is the lifecycle's, and lives here beside it
(casework/cases/lifecycle.py names the transitions; tests check both tables agree).

A reopened case (closed or resolved → verifying) is investigated again: it gets a fresh
INSPECTION_INVESTIGATE from the day it is reopened (劳动保障监察条例 §17: 60 working days from
立案, the reopening being a new decision to investigate); its earlier clocks stay as they ended.
"""

from casework.cases.choices import CaseState as S

# The event that files a complaint: not a transition, but it starts the acceptance clock.
FILED = "filed"

ACCEPT = "INSPECTION_ACCEPT"
INVESTIGATE = "INSPECTION_INVESTIGATE"
RESPONSE = "PLATFORM_RESPONSE"
MEDIATION = "MEDIATION"
ARBITRATION_REVIEW = "ARBITRATION_REVIEW"
JUDICIAL_CONFIRMATION = "JUDICIAL_CONFIRMATION"

CARRIED_BY_STATE: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({ACCEPT}),
    S.ACCEPTED: frozenset({INVESTIGATE}),
    S.VERIFYING: frozenset({INVESTIGATE}),
    S.AWAITING_RESPONSE: frozenset({INVESTIGATE, RESPONSE}),
    S.MEDIATING: frozenset({MEDIATION}),
    S.AGREEMENT_REACHED: frozenset({ARBITRATION_REVIEW, JUDICIAL_CONFIRMATION}),
    S.MEDIATION_FAILED: frozenset(),
    S.REFERRED: frozenset(),
    S.RESOLVED: frozenset(),
    S.NOT_ACCEPTED: frozenset(),
    S.TRANSFERRED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CLOSED: frozenset(),
    S.MERGED: frozenset(),
}

MET_BY: dict[str, frozenset[str]] = {
    ACCEPT: frozenset({"accept", "decline", "transfer"}),
    INVESTIGATE: frozenset({"resolve", "refer", "transfer"}),
    RESPONSE: frozenset({"record_response", "start_mediation", "refer"}),
    MEDIATION: frozenset({"reach_agreement", "fail_mediation"}),
    ARBITRATION_REVIEW: frozenset({"resolve", "report_breach"}),
    JUDICIAL_CONFIRMATION: frozenset({"resolve", "report_breach"}),
}

# Clocks that belong to no step of the case's path (the review of a bad rating, started by
# casework.ratings on a concluded case): a transition neither starts nor ends them.
RATING_REVIEW = "RATING_REVIEW"
OFF_PATH = frozenset({RATING_REVIEW})

# Why an open clock was ended without being met, as keys the timeline puts into words.
LEFT_THE_PATH = "left_the_path"  # the case took a path the clock does not belong to
STALE = "stale"  # left open by an earlier life of the case (found by `repair_clocks`)


def carried(state: str) -> frozenset[str]:
    return CARRIED_BY_STATE.get(state, frozenset())


def meets(rule_key: str, transition: str) -> bool:
    return transition in MET_BY.get(rule_key, frozenset())
