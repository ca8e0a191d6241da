from casework.organisation.models.organisation import Membership, Team, Unit, User
from casework.organisation.models.signin import OneTimeCode, SignInLock
from casework.organisation.models.sms import SmsMessage

__all__ = ["Membership", "OneTimeCode", "SignInLock", "SmsMessage", "Team", "Unit", "User"]
