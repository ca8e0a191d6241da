"""An upstream work order's deadline: the channel's rule on the official working-day calendar."""

from datetime import date

from casework.channels.models import UpstreamChannelRule
from casework.clocks.models import DayUnit
from casework.clocks.work_calendar import Dated, WorkCalendar, load_calendar

# A channel without a rule row (an admin deleted it) still gets a deadline.
DEFAULT_WORKING_DAYS = 10


def upstream_due(
    *, channel: str, received_on: date, calendar: WorkCalendar | None = None, rules=None
) -> Dated:
    """The day the reply is due. `rules` (channel -> rule) saves a query per row on imports."""
    calendar = calendar or load_calendar()
    if rules is None:
        rules = {rule.channel: rule for rule in UpstreamChannelRule.objects.all()}
    rule = rules.get(channel)
    if rule is None:
        return calendar.add_working_days(received_on, DEFAULT_WORKING_DAYS)
    if rule.unit == DayUnit.WORKING:
        return calendar.add_working_days(received_on, rule.reply_within)
    return calendar.add_calendar_days(received_on, rule.reply_within)
