"""Builders for case tests: a realistic little organisation, cases filed through the service,
and a helper that walks a case to any state along the real transitions.

Nothing here writes a case or its state directly: every case is filed with `case_file` and
moved with `case_transition`, so history rows and timeline events are the real ones.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model

from casework.cases.choices import CaseState, Category, Channel
from casework.cases.models import Case
from casework.cases.services.transitions import case_transition
from casework.core.roles import Role
from casework.intake.services import Complaint, PartyInput, case_file
from casework.organisation.choices import TeamKind
from casework.organisation.models import Team, Unit, User
from platforms.choices import CompanyKind, Industry
from platforms.models import Company, Representative
from tests.clock import beijing, frozen_now
from tests.factories.organisation import make_district, make_staff, make_street, make_team

_serial = count(1)

S = CaseState

REASON = "测试原因：依据材料作出处理。"
WAIVER = "工人书面放弃申请的金额。"
REFERRAL = {"referral_target": "arbitration", "referral_reference": "ARB-1"}


@dataclass
class StreetOrg:
    """One street (tier 1 jurisdiction) and the teams that cover it."""

    street: Unit
    station: Team  # tier 3, where new cases of the street are routed
    coordinators: Team
    mediators: Team
    inspectors: Team
    station_coordinator: User
    coordinator: User
    mediator: User
    inspector: User


@dataclass
class Org:
    district: Unit
    unit_office: Team
    supervisor: User  # supervisor membership in the district's unit office: sees both streets
    admin: User  # superuser without any membership
    platform: Company
    operator: Company
    representative: User  # platform representative of `platform`
    a: StreetOrg
    b: StreetOrg
    worker: User
    other_worker: User


def make_mobile() -> str:
    return f"1380000{next(_serial):04d}"


def make_case_worker(name: str = "张师傅") -> User:
    mobile = make_mobile()
    user = get_user_model().objects.create(
        username=f"worker-{mobile}", mobile=mobile, is_worker=True, display_name=name
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def make_platform(name: str = "速达外卖") -> Company:
    return Company.objects.get_or_create(
        name=name,
        defaults={"kind": CompanyKind.PLATFORM, "industry": Industry.FOOD_DELIVERY},
    )[0]


def make_street_org(name: str) -> StreetOrg:
    street = make_street(name)
    station = make_team(unit=street, kind=TeamKind.SERVICE_STATION)
    coordinators = make_team(unit=street, kind=TeamKind.COORDINATORS)
    mediators = make_team(unit=street, kind=TeamKind.MEDIATORS)
    inspectors = make_team(unit=street, kind=TeamKind.INSPECTION_ASSISTANTS)
    return StreetOrg(
        street=street,
        station=station,
        coordinators=coordinators,
        mediators=mediators,
        inspectors=inspectors,
        station_coordinator=make_staff(role=Role.COORDINATOR, team=station, display_name="站长"),
        coordinator=make_staff(role=Role.COORDINATOR, team=coordinators, display_name="协调员"),
        mediator=make_staff(role=Role.MEDIATOR, team=mediators, display_name="调解员"),
        inspector=make_staff(role=Role.INSPECTOR, team=inspectors, display_name="协管员"),
    )


def make_org() -> Org:
    """A district with two streets, each with a station, coordinators, mediators and inspection
    assistants; a district supervisor; an administrator; a platform, an operator under it and
    a representative of the platform; two workers."""
    district = make_district()
    unit_office = make_team(unit=district, kind=TeamKind.UNIT_OFFICE)
    platform = make_platform()
    operator = Company.objects.create(
        name="城东配送站运营公司",
        kind=CompanyKind.OPERATOR,
        industry=Industry.FOOD_DELIVERY,
        parent=platform,
    )
    representative = get_user_model().objects.create_user(
        username=f"rep{next(_serial)}", password="x" * 12, display_name="平台代表"
    )
    Representative.objects.create(user=representative, company=platform)
    admin = get_user_model().objects.create_superuser(
        username=f"admin{next(_serial)}", password="x" * 12
    )
    return Org(
        district=district,
        unit_office=unit_office,
        supervisor=make_staff(role=Role.SUPERVISOR, team=unit_office, display_name="督导"),
        admin=admin,
        platform=platform,
        operator=operator,
        representative=representative,
        a=make_street_org("东城街道"),
        b=make_street_org("西城街道"),
        worker=make_case_worker("张师傅"),
        other_worker=make_case_worker("李师傅"),
    )


def make_complaint(
    *,
    street: Unit,
    platform: Company | None = None,
    category: str = Category.PAY_ARREARS,
    amount_claimed: Decimal = Decimal("3000.00"),
    **fields,
) -> Complaint:
    parties = fields.pop("parties", None) or [
        PartyInput(kind=CompanyKind.PLATFORM, company=platform or make_platform())
    ]
    return Complaint(
        category=category,
        description=fields.pop("description", "三月份的配送费一直没有结算。"),
        jurisdiction=street,
        period_start=fields.pop("period_start", date(2026, 3, 1)),
        period_end=fields.pop("period_end", date(2026, 3, 31)),
        parties=parties,
        amount_claimed=amount_claimed,
        **fields,
    )


def make_case(*, worker: User, street: Unit, platform: Company | None = None, **fields) -> Case:
    """A complaint filed online by the worker themselves, through the real service."""
    complaint = make_complaint(street=street, platform=platform, **fields)
    return case_file(actor=worker, complaint=complaint, channel=Channel.ONLINE)


# How to reach each state from "submitted": (transition, inputs) in order.
_PATHS: dict[str, list[tuple[str, dict]]] = {
    S.SUBMITTED: [],
    S.ACCEPTED: [("accept", {})],
    S.VERIFYING: [("accept", {}), ("start_verification", {})],
    S.AWAITING_RESPONSE: [
        ("accept", {}),
        ("start_verification", {}),
        ("request_response", {}),
    ],
    S.MEDIATING: [("accept", {}), ("start_verification", {}), ("start_mediation", {})],
    S.AGREEMENT_REACHED: [
        ("accept", {}),
        ("start_verification", {}),
        ("start_mediation", {}),
        ("reach_agreement", {}),
    ],
    S.MEDIATION_FAILED: [
        ("accept", {}),
        ("start_verification", {}),
        ("start_mediation", {}),
        ("fail_mediation", {"reason": REASON}),
    ],
    S.REFERRED: [("accept", {}), ("start_verification", {}), ("refer", REFERRAL)],
    # Before verification the claim is owed (never 0): resolving at once takes the worker's
    # waiver of it.
    S.RESOLVED: [("accept", {}), ("start_verification", {}), ("resolve", {"waiver": WAIVER})],
    S.NOT_ACCEPTED: [("decline", {"reason": REASON})],
    S.TRANSFERRED: [("transfer", {"reason": REASON})],
    S.WITHDRAWN: [("withdraw", {"reason": REASON})],
    S.CLOSED: [("decline", {"reason": REASON}), ("close", {})],
}


def put_case_in_state(case: Case, state: str, actor: User) -> Case:
    """Walk a freshly filed case to `state` with case_transition; return it re-read.

    `actor` must be allowed every step (a supervisor of the district is).
    """
    current = Case.objects.get(pk=case.pk)
    if current.state != S.SUBMITTED:
        raise ValueError(f"put_case_in_state starts from a submitted case, not {current.state}")
    if state == S.MERGED:  # into a second complaint of the same worker (casework.merging)
        from casework.merging.services import case_merge

        survivor = make_case(worker=current.worker, street=current.jurisdiction)
        case_merge(actor=actor, merged_id=case.pk, survivor_id=survivor.pk, reason=REASON)
        return Case.objects.get(pk=case.pk)
    for name, inputs in _PATHS[S(state)]:
        case_transition(actor=actor, case_id=case.pk, name=name, **inputs)
    current = Case.objects.get(pk=case.pk)
    assert current.state == state, (current.state, state)
    return current


# Time and tiers (clocks, escalation, collective cases) ------------------------------------


def make_case_on(day: date, **fields) -> Case:
    """make_case, filed at 09:00 Beijing time on `day`: its clocks start that day."""
    with frozen_now(beijing(day, 9)):
        return make_case(**fields)


def transition_on(day: date, case: Case, name: str, actor: User, **inputs) -> Case:
    """case_transition taken at 10:00 Beijing time on `day`."""
    with frozen_now(beijing(day, 10)):
        return case_transition(actor=actor, case_id=case.pk, name=name, **inputs)


def cover_streets_with_unit_office(org: Org) -> Org:
    """Let the district unit office cover both streets, as in the demo data: it is then the
    tier-1 team above the streets' coordinators (escalation, collective cases, inspection
    categories such as min_wage)."""
    org.unit_office.covers.add(org.a.street, org.b.street)
    return org
