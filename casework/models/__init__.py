from casework.models.cases import (
    Case,
    CaseEvent,
    CaseNote,
    CaseParty,
    Evidence,
    IntakeDraft,
    ReferenceCounter,
)
from casework.models.clocks import (
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineExtension,
    DeadlinePause,
    DeadlineRule,
)
from casework.models.notifications import Notification, NotificationKind
from casework.models.organisation import Membership, Team, Unit, User
from casework.models.routing import CaseGroup, RoutingRule
from casework.models.signin import OneTimeCode, SignInLock
from casework.models.sms import SmsMessage

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CaseGroup",
    "CaseNote",
    "CaseParty",
    "Deadline",
    "DeadlineExtension",
    "DeadlinePause",
    "DeadlineRule",
    "Evidence",
    "IntakeDraft",
    "Membership",
    "Notification",
    "NotificationKind",
    "OneTimeCode",
    "ReferenceCounter",
    "RoutingRule",
    "SignInLock",
    "SmsMessage",
    "Team",
    "Unit",
    "User",
]
