"""Where Django finds the casework app's models: each concern package keeps its own.

Nothing in the code imports this module; import a model from its concern
(`casework.cases.models`, `casework.clocks.models`, ...).
"""

from casework.audit.models import ChainEntry, ChainHead, DailyDigest
from casework.cases.models import Case, CaseNote, CaseParty, Evidence
from casework.clocks.models import (
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineExtension,
    DeadlinePause,
    DeadlineRule,
)
from casework.groups.models import CaseGroup
from casework.intake.models import IntakeDraft, ReferenceCounter
from casework.notifications.models import Notification
from casework.organisation.models import (
    Membership,
    OneTimeCode,
    SignInLock,
    SmsMessage,
    Team,
    Unit,
    User,
)
from casework.privacy.models import DataAccess
from casework.routing.models import RoutingRule
from casework.timeline.models import CaseEvent

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CaseGroup",
    "CaseNote",
    "CaseParty",
    "ChainEntry",
    "ChainHead",
    "DailyDigest",
    "DataAccess",
    "Deadline",
    "DeadlineExtension",
    "DeadlinePause",
    "DeadlineRule",
    "Evidence",
    "IntakeDraft",
    "Membership",
    "Notification",
    "OneTimeCode",
    "ReferenceCounter",
    "RoutingRule",
    "SignInLock",
    "SmsMessage",
    "Team",
    "Unit",
    "User",
]
