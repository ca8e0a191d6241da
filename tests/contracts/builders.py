"""Builders for contract tests. Every contract is opened and moved through the real services,
so history rows, versions and clocks are the ones a user would produce."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from casework.core.roles import Role
from casework.organisation.models import User
from mediation.contracts.choices import ContractState, ScopeKind, Side
from mediation.contracts.models import ClauseTemplate, CollectiveContract
from mediation.contracts.rules import VoteCount
from mediation.contracts.services.lifecycle import (
    contract_file,
    contract_return_with_opinion,
    contract_sign,
    contract_transition,
)
from mediation.contracts.services.proceedings import representative_add, round_record, vote_record
from mediation.contracts.services.terms import ContractTerms, clause_add, contract_create
from tests.clock import beijing
from tests.factories.cases import Org, make_case_worker, make_org
from tests.factories.organisation import make_staff

S = ContractState

# Contract tests take place on Monday 15 June 2026 at 15:00 in Beijing unless they say otherwise
# (`pytestmark = pytest.mark.now(TODAY, hour=15)`): a year and a half into the default term.
TODAY = date(2026, 6, 15)


@dataclass
class ContractOrg:
    org: Org
    keeper: User  # coordinator in the district's unit office: keeps contracts, no review
    supervisor: User  # supervisor of the district: keeps and reviews every contract
    street_supervisor: User  # supervisor of street a only
    street_coordinator: User  # coordinator of street a: sees no contract
    worker: User


def make_contract_org() -> ContractOrg:
    org = make_org()
    return ContractOrg(
        org=org,
        keeper=make_staff(role=Role.COORDINATOR, team=org.unit_office, display_name="劳动关系科"),
        supervisor=org.supervisor,
        street_supervisor=make_staff(
            role=Role.SUPERVISOR, team=org.a.coordinators, display_name="街道督导"
        ),
        street_coordinator=org.a.coordinator,
        worker=make_case_worker("骑手"),
    )


def at(day: date, hour: int = 10) -> datetime:
    """That day at `hour`, but never later than a minute ago (services refuse future events)."""
    return min(beijing(day, hour), timezone.now() - timedelta(minutes=1))


def platform_terms(org: Org, **overrides) -> ContractTerms:
    fields = {
        "title": "速达外卖平台集体合同",
        "scope_kind": ScopeKind.PLATFORM,
        "company": org.platform,
        "union_name": "速达外卖工会联合会",
        "term_start": date(2026, 1, 1),
        "term_end": date(2027, 12, 31),
    }
    fields.update(overrides)
    return ContractTerms(**fields)


def regional_terms(org: Org, **overrides) -> ContractTerms:
    fields = {
        "title": "东城街道外卖配送行业集体合同",
        "scope_kind": ScopeKind.REGIONAL_INDUSTRY,
        "region": org.a.street,
        "industry": "food_delivery",
        "employer_party": "东城街道外卖配送行业协会",
        "union_name": "东城街道总工会",
        "term_start": date(2026, 1, 1),
        "term_end": date(2026, 12, 31),
    }
    fields.update(overrides)
    return ContractTerms(**fields)


def add_representatives(contract, actor, per_side: int = 3) -> None:
    for side, organisation in ((Side.WORKERS, "工会"), (Side.EMPLOYER, "平台公司")):
        for i in range(per_side):
            representative_add(
                actor=actor,
                contract_id=contract.pk,
                side=side,
                name=f"{organisation}代表{i + 1}",
                organisation=organisation,
                is_chief=i == 0,
            )


def template(key: str) -> ClauseTemplate:
    return ClauseTemplate.objects.get(key=key)


def add_clause(contract, actor, key: str, **values):
    tpl = template(key)
    return clause_add(
        actor=actor,
        contract_id=contract.pk,
        template_id=tpl.pk,
        values={**tpl.parameters, **values},
    )


PASSING = VoteCount(members=90, attended=60, yes=46, no=10, abstain=4)


def consulting_contract(keeper, org: Org, **overrides) -> CollectiveContract:
    contract = contract_create(actor=keeper, terms=platform_terms(org, **overrides))
    add_representatives(contract, keeper)
    add_clause(contract, keeper, "hourly-floor")
    contract_transition(actor=keeper, contract_id=contract.pk, name="start_consulting")
    round_record(
        actor=keeper,
        contract_id=contract.pk,
        held_at=timezone.now() - timedelta(days=3),
        place="区人力社保局三楼会议室",
        attendees="双方代表各三人",
        minutes="双方就最低小时收入达成一致。",
    )
    return contract


def put_contract_in_state(
    state: str, *, keeper, supervisor, org: Org, on: date | None = None, **terms
) -> CollectiveContract:
    """A contract walked to `state` along the real procedure, dated `on` (default today)."""
    contract = _walk(state, keeper=keeper, supervisor=supervisor, org=org, on=on, **terms)
    return CollectiveContract.objects.get(pk=contract.pk)


def _walk(state, *, keeper, supervisor, org, on, **terms):
    on = on or timezone.localdate()
    if state == S.EXPIRED:
        terms = {"term_start": date(2024, 1, 1), "term_end": date(2024, 12, 31), **terms}
    contract = contract_create(actor=keeper, terms=platform_terms(org, **terms))
    add_representatives(contract, keeper)
    add_clause(contract, keeper, "hourly-floor")
    if state == S.DRAFTING:
        return contract
    contract_transition(actor=keeper, contract_id=contract.pk, name="start_consulting")
    if state == S.CONSULTING:
        return contract
    round_record(
        actor=keeper,
        contract_id=contract.pk,
        held_at=at(on, 9),
        place="会议室",
        attendees="双方代表",
        minutes="纪要",
    )
    vote_record(actor=keeper, contract_id=contract.pk, count=PASSING, held_at=at(on, 9))
    if state == S.CONGRESS_APPROVED:
        return contract
    contract_sign(actor=keeper, contract_id=contract.pk, on=on)
    if state == S.SIGNED:
        return contract
    contract_file(actor=keeper, contract_id=contract.pk, on=on)
    if state == S.FILED:
        return contract
    if state == S.RETURNED:
        contract_return_with_opinion(
            actor=supervisor,
            contract_id=contract.pk,
            opinion="第三条与最低工资规定不符。",
        )
        return contract
    contract_transition(actor=supervisor, contract_id=contract.pk, name="accept_review")
    if state == S.IN_FORCE:
        return contract
    contract_transition(actor=keeper, contract_id=contract.pk, name="expire")
    if state == S.EXPIRED:
        return contract
    raise ValueError(state)
