"""Where Django finds the casework app's models: each concern package keeps its own.

Nothing in the code imports this module; import a model from its concern
(`casework.cases.models`, `casework.clocks.models`, ...).
"""

from casework.audit.models import ChainEntry, ChainHead, DailyDigest
from casework.cases.models import Case, CaseNote, CaseParty, Evidence
from casework.channels.adapters_models import UpstreamMessage
from casework.channels.models import (
    UpstreamChannelRule,
    UpstreamOrder,
    UpstreamToken,
    WorkOrderImport,
)
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
from casework.merging.models import CaseMerge, CaseSplit
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
from casework.ratings.models import CaseRating, RatingReview
from casework.routing.models import RoutingRule
from casework.supervision.models import (
    ClockDay,
    MeasureDay,
    OpenCompanyCount,
    StateCount,
    WaitCount,
)
from casework.timeline.models import CaseEvent

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CaseGroup",
    "CaseMerge",
    "CaseNote",
    "CaseParty",
    "CaseRating",
    "CaseSplit",
    "ChainEntry",
    "ChainHead",
    "ClockDay",
    "DailyDigest",
    "DataAccess",
    "Deadline",
    "DeadlineExtension",
    "DeadlinePause",
    "DeadlineRule",
    "Evidence",
    "IntakeDraft",
    "MeasureDay",
    "Membership",
    "Notification",
    "OneTimeCode",
    "OpenCompanyCount",
    "RatingReview",
    "ReferenceCounter",
    "RoutingRule",
    "SignInLock",
    "SmsMessage",
    "StateCount",
    "Team",
    "Unit",
    "UpstreamChannelRule",
    "UpstreamMessage",
    "UpstreamOrder",
    "UpstreamToken",
    "User",
    "WaitCount",
    "WorkOrderImport",
]
