"""The case's lifecycle in one place: per transition who may take it, what it needs, whether it
concludes the case and what the worker is told; per state, whether it is open and what it means
to the worker. Everything else (buttons, terminal events, who gets a text, the states a case can be
assigned in, the dashboard's "closed" count) is derived from these two tables.

The graph itself (which state each transition leaves from and goes to) is the django-fsm
decorators on `Case`; which statutory clocks each state carries and each transition meets is
the table in casework/clocks/paths.py (the rules' lengths are data an admin edits).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.cases.choices import CaseState
from casework.core.roles import Role

R = Role
S = CaseState


@dataclass(frozen=True)
class Transition:
    label: str
    roles: frozenset[Role]
    needs_reason: bool = False
    # whether the reason is shown to the worker on their timeline
    reason_is_public: bool = False
    # where the case goes and the receiving body's reference (arbitration, inspection, ...)
    needs_referral: bool = False
    # resolving with money outstanding needs the worker's recorded waiver
    accepts_waiver: bool = False
    # takes the case out of the open states: counted as work concluded on the dashboard
    concludes: bool = False
    # archiving: no more work on the case
    archives: bool = False
    # the worker is also told by text message (every transition tells them in the inbox)
    texts_worker: bool = False
    style: str = "neutral"  # button style: primary, neutral, danger
    # A step prepared on a page of its own (a URL name taking the case id): the case page
    # links there instead of offering a button, and `case_transition` refuses it.
    page: str = ""

    @property
    def ends_clocks(self) -> bool:
        """Whether the case's remaining clocks are cancelled (those it meets are met first)."""
        return self.concludes or self.archives

    @property
    def is_simple(self) -> bool:
        """A button that needs nothing but a confirmation."""
        return not (self.needs_reason or self.needs_referral or self.accepts_waiver)


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(
        _("Accept"), frozenset({R.COORDINATOR, R.SUPERVISOR}), style="primary", texts_worker=True
    ),
    "decline": Transition(
        _("Do not accept"),
        frozenset({R.COORDINATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
        style="danger",
        concludes=True,
        texts_worker=True,
    ),
    "transfer": Transition(
        _("Transfer to another authority"),
        frozenset({R.COORDINATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
        concludes=True,
        texts_worker=True,
    ),
    "withdraw": Transition(
        _("Withdraw"),
        frozenset({R.WORKER, R.COORDINATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
        style="danger",
        concludes=True,
    ),
    "start_verification": Transition(
        _("Start verification"),
        frozenset({R.COORDINATOR, R.INSPECTOR, R.SUPERVISOR}),
        style="primary",
    ),
    "request_response": Transition(
        _("Ask the employer to respond"), frozenset({R.COORDINATOR, R.INSPECTOR, R.SUPERVISOR})
    ),
    # A representative answers through the platforms' portal or API (platforms.responses),
    # which locks the case through the portal's scope; staff record an answer given by phone.
    "record_response": Transition(
        _("Record the employer's response"),
        frozenset({R.COORDINATOR, R.INSPECTOR, R.SUPERVISOR, R.PLATFORM_REPRESENTATIVE}),
        needs_reason=True,
    ),
    "start_mediation": Transition(
        _("Start mediation"),
        frozenset({R.COORDINATOR, R.MEDIATOR, R.SUPERVISOR}),
        texts_worker=True,
    ),
    "reach_agreement": Transition(
        pgettext_lazy("action", "Record the agreement"),
        frozenset({R.MEDIATOR, R.SUPERVISOR}),
        style="primary",
        texts_worker=True,
    ),
    "fail_mediation": Transition(
        _("Mediation failed"),
        frozenset({R.MEDIATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
    ),
    "resolve": Transition(
        _("Resolve"),
        frozenset({R.COORDINATOR, R.MEDIATOR, R.INSPECTOR, R.SUPERVISOR}),
        reason_is_public=True,
        style="primary",
        accepts_waiver=True,
        concludes=True,
        texts_worker=True,
    ),
    "refer": Transition(
        _("Refer"),
        frozenset({R.COORDINATOR, R.MEDIATOR, R.INSPECTOR, R.SUPERVISOR}),
        reason_is_public=True,
        needs_referral=True,
        concludes=True,
        texts_worker=True,
    ),
    "report_breach": Transition(
        _("Report a breach of the agreement"),
        frozenset({R.COORDINATOR, R.MEDIATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
        needs_referral=True,
        style="danger",
        concludes=True,
    ),
    "close": Transition(
        _("Close and archive"), frozenset({R.COORDINATOR, R.SUPERVISOR}), archives=True
    ),
    "reopen": Transition(_("Reopen"), frozenset({R.SUPERVISOR}), needs_reason=True),
    # casework.merging moves the duplicate's contents to the surviving case in the same
    # transaction, on its preview page.
    "merge": Transition(
        _("Merge with another case"),
        frozenset({R.COORDINATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
        concludes=True,
        page="casework:case_merge",
    ),
}


@dataclass(frozen=True)
class State:
    is_open: bool
    # what the status means to the worker, and what happens next, in plain words
    headline: str
    next_step: str


STATES: dict[str, State] = {
    S.SUBMITTED: State(
        is_open=True,
        headline=_("We have received your complaint."),
        next_step=_(
            "A coordinator will check it and decide whether to accept it within 5 working days."
        ),
    ),
    S.ACCEPTED: State(
        is_open=True,
        headline=_("Your complaint has been accepted."),
        next_step=_("A coordinator will now check the facts with you and the employer."),
    ),
    S.VERIFYING: State(
        is_open=True,
        headline=_("We are checking the facts."),
        next_step=_("We may call you or ask for more evidence. You can add screenshots below."),
    ),
    S.AWAITING_RESPONSE: State(
        is_open=True,
        headline=_("We have asked the employer to respond."),
        next_step=_("The platform or company must answer; we will tell you what they say."),
    ),
    S.MEDIATING: State(
        is_open=True,
        headline=_("Mediation is under way."),
        next_step=_(
            "A mediator helps you and the employer agree. Mediation takes at most 15 days."
        ),
    ),
    S.AGREEMENT_REACHED: State(
        is_open=True,
        headline=_("An agreement has been reached."),
        next_step=_("The employer must pay as agreed. Tell us if a payment does not arrive."),
    ),
    S.MEDIATION_FAILED: State(
        is_open=True,
        headline=_("Mediation did not lead to an agreement."),
        next_step=_("We will pass your case to arbitration or labour inspection and tell you how."),
    ),
    S.REFERRED: State(
        is_open=False,
        headline=_("Your case has been passed to another authority."),
        next_step=_("Their reference number is shown below; they will contact you."),
    ),
    S.RESOLVED: State(
        is_open=False,
        headline=_("Your case is resolved."),
        next_step=_("If something is still wrong, send us a message."),
    ),
    S.NOT_ACCEPTED: State(
        is_open=False,
        headline=_("Your complaint was not accepted."),
        next_step=_("The reason is shown below. You can file again with more information."),
    ),
    S.TRANSFERRED: State(
        is_open=False,
        headline=_("Your complaint was sent to the authority responsible for it."),
        next_step=_("They will contact you; the reason is shown below."),
    ),
    S.WITHDRAWN: State(
        is_open=False,
        headline=_("You withdrew this complaint."),
        next_step=_("Nothing more will happen on it."),
    ),
    S.CLOSED: State(
        is_open=False,
        headline=_("This case is closed and archived."),
        next_step=_("Thank you for using Anxin."),
    ),
    S.MERGED: State(
        is_open=False,
        headline=_("This complaint was merged into another of your cases."),
        next_step=_("Everything in it now continues there: follow the link below."),
    ),
}

# Derived facts ---------------------------------------------------------------------------------

OPEN_STATES = tuple(state for state, facts in STATES.items() if facts.is_open)
# Where the worker can still add a message or a file: while the case is open, and once it is
# resolved ("if something is still wrong, send us a message"); not on a complaint that was not
# accepted, transferred, referred, withdrawn or archived: no one here would read it.
MESSAGE_STATES = (*OPEN_STATES, S.RESOLVED)
CONCLUDING = tuple(name for name, step in TRANSITIONS.items() if step.concludes)
