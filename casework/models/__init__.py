from casework.models.cases import (
    Case,
    CaseEvent,
    CaseNote,
    CaseParty,
    Evidence,
    IntakeDraft,
    ReferenceCounter,
)
from casework.models.organisation import Membership, Team, Unit, User
from casework.models.signin import OneTimeCode, SignInLock
from casework.models.sms import SmsMessage

__all__ = [
    "Case",
    "CaseEvent",
    "CaseNote",
    "CaseParty",
    "Evidence",
    "IntakeDraft",
    "Membership",
    "OneTimeCode",
    "ReferenceCounter",
    "SignInLock",
    "SmsMessage",
    "Team",
    "Unit",
    "User",
]
