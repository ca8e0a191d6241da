"""Requests for a response put to a platform and its operator on known days, answered (or
not) on known days, as the bureau's staff take them through the real services."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from casework.cases.models import Case
from casework.intake.services import PartyInput
from platforms.choices import CompanyKind
from platforms.models import Company, Representative
from tests.factories.cases import REASON, Org, make_case_on, make_platform, transition_on

# Pinned in the tests: Monday 16 March 2026, 10:00 Beijing time.
TODAY = "2026-03-16"


def ask(org: Org, day: date, *companies: Company) -> Case:
    """A complaint naming `companies`, filed, taken up and put to the employer on `day`."""
    parties = [PartyInput(kind=company.kind, company=company) for company in companies]
    case = make_case_on(day, worker=org.worker, street=org.a.street, parties=parties)
    for step in ("accept", "start_verification", "request_response"):
        transition_on(day, case, step, org.supervisor)
    return case


def answer(org: Org, day: date, case: Case) -> Case:
    return transition_on(day, case, "record_response", org.supervisor, reason=REASON)


def representative_of(company: Company, username: str):
    user = get_user_model().objects.create_user(username=username, password="x" * 12)
    Representative.objects.create(user=user, company=company)
    return user


@dataclass
class Scenario:
    on_time: Case  # platform, asked Tue 10 Feb, due Fri 13 Feb, answered Thu 12 Feb: 2 days
    late: Case  # platform and operator, asked Fri 13 Feb, due Wed 25 Feb (Spring Festival),
    # answered Thu 26 Feb: 4 working days (the make-up Saturday 14 Feb counts)
    overdue: Case  # operator alone, asked Mon 2 Mar, due Thu 5 Mar, not answered
    open: Case  # platform, asked Fri 13 Mar, due Wed 18 Mar
    withdrawn: Case  # platform, asked Tue 3 Mar, withdrawn Wed 4 Mar: no longer owed
    rival: Company
    rival_case: Case  # the other platform, asked Tue 10 Feb, answered Wed 11 Feb


def build(org: Org) -> Scenario:
    platform, operator = org.platform, org.operator
    on_time = answer(org, date(2026, 2, 12), ask(org, date(2026, 2, 10), platform))
    late = answer(org, date(2026, 2, 26), ask(org, date(2026, 2, 13), platform, operator))
    overdue = ask(org, date(2026, 3, 2), operator)
    withdrawn = ask(org, date(2026, 3, 3), platform)
    transition_on(date(2026, 3, 4), withdrawn, "withdraw", org.supervisor, reason=REASON)
    open_case = ask(org, date(2026, 3, 13), platform)
    rival = make_platform("闪送急送平台")
    assert rival.kind == CompanyKind.PLATFORM
    rival_case = answer(org, date(2026, 2, 11), ask(org, date(2026, 2, 10), rival))
    return Scenario(on_time, late, overdue, open_case, withdrawn, rival, rival_case)
