"""Who may take which transition, and what each one needs from the person taking it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.core.roles import Role

R = Role


@dataclass(frozen=True)
class TransitionRule:
    label: str
    roles: frozenset[Role]
    needs_reason: bool = False
    # whether the reason is shown to the worker on their timeline
    reason_is_public: bool = False
    needs_referral: bool = False
    style: str = "neutral"  # button style: primary, neutral, danger


RULES: dict[str, TransitionRule] = {
    "accept": TransitionRule(
        _("Accept"), frozenset({R.COORDINATOR, R.SUPERVISOR}), style="primary"
    ),
    "decline": TransitionRule(
        _("Do not accept"),
        frozenset({R.COORDINATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
        style="danger",
    ),
    "transfer": TransitionRule(
        _("Transfer to another authority"),
        frozenset({R.COORDINATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
    ),
    "withdraw": TransitionRule(
        _("Withdraw"),
        frozenset({R.WORKER, R.COORDINATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
        style="danger",
    ),
    "start_verification": TransitionRule(
        _("Start verification"),
        frozenset({R.COORDINATOR, R.INSPECTOR, R.SUPERVISOR}),
        style="primary",
    ),
    "request_response": TransitionRule(
        _("Ask the employer to respond"), frozenset({R.COORDINATOR, R.INSPECTOR, R.SUPERVISOR})
    ),
    "record_response": TransitionRule(
        _("Record the employer's response"),
        frozenset({R.COORDINATOR, R.INSPECTOR, R.SUPERVISOR}),
        needs_reason=True,
    ),
    "start_mediation": TransitionRule(
        _("Start mediation"), frozenset({R.COORDINATOR, R.MEDIATOR, R.SUPERVISOR})
    ),
    "reach_agreement": TransitionRule(
        pgettext_lazy("action", "Record the agreement"),
        frozenset({R.MEDIATOR, R.SUPERVISOR}),
        style="primary",
    ),
    "fail_mediation": TransitionRule(
        _("Mediation failed"),
        frozenset({R.MEDIATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
    ),
    "resolve": TransitionRule(
        _("Resolve"),
        frozenset({R.COORDINATOR, R.MEDIATOR, R.INSPECTOR, R.SUPERVISOR}),
        reason_is_public=True,
        style="primary",
    ),
    "refer": TransitionRule(
        _("Refer"),
        frozenset({R.COORDINATOR, R.MEDIATOR, R.INSPECTOR, R.SUPERVISOR}),
        reason_is_public=True,
        needs_referral=True,
    ),
    "report_breach": TransitionRule(
        _("Report a breach of the agreement"),
        frozenset({R.COORDINATOR, R.MEDIATOR, R.SUPERVISOR}),
        needs_reason=True,
        reason_is_public=True,
        needs_referral=True,
        style="danger",
    ),
    "close": TransitionRule(_("Close and archive"), frozenset({R.COORDINATOR, R.SUPERVISOR})),
    "reopen": TransitionRule(_("Reopen"), frozenset({R.SUPERVISOR}), needs_reason=True),
}
