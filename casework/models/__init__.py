from casework.models.organisation import Membership, Team, Unit, User
from casework.models.signin import OneTimeCode, SignInLock
from casework.models.sms import SmsMessage

__all__ = ["Membership", "OneTimeCode", "SignInLock", "SmsMessage", "Team", "Unit", "User"]
