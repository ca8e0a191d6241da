"""What the ledger's services share: who may do what on a case, and the words for amounts."""

from datetime import date

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from casework.cases.choices import CaseState
from casework.core.bounds import check_date_bounds
from casework.core.errors import ActionRefused
from casework.core.roles import Role

# Who records payments and corrections, and checks proof: the staff on the case.
LEDGER_STAFF = frozenset({Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR, Role.SUPERVISOR})
# Who sets the verified amount (核定): coordinators and inspectors, and supervisors above them.
VERIFIERS = frozenset({Role.COORDINATOR, Role.INSPECTOR, Role.SUPERVISOR})
# No money is recorded on a complaint that was never taken up or is archived.
NO_MONEY_STATES = frozenset(
    {CaseState.NOT_ACCEPTED, CaseState.TRANSFERRED, CaseState.WITHDRAWN, CaseState.CLOSED}
)


def refuse_unless(roles, allowed, message: str | None = None) -> None:
    if not roles & allowed:
        raise ActionRefused(message or _("Your role does not allow this on this case."))


def refuse_if_no_money(case) -> None:
    if case.state in NO_MONEY_STATES:
        raise ActionRefused(
            _("This case is “%(state)s”: no money can be recorded on it.")
            % {"state": case.state_label}
        )


def parse_day(value, *, field: str) -> date:
    """A date (or ISO text), within the sane bounds, or ActionRefused naming the field."""
    day = value if isinstance(value, date) else None
    if day is None and isinstance(value, str):
        try:
            day = parse_date(value.strip())
        except ValueError:
            day = None
    if day is None:
        raise ActionRefused(_("Give a date, like 2026-12-07."), field=field)
    check_date_bounds(**{field: day})
    return day


def today() -> date:
    return timezone.localdate()
