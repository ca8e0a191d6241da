"""Where new cases go (routing rules as data), related complaints grouped into a collective
case at the configured threshold, the group page, and limitation warnings at intake."""

import importlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.clocks.models import Deadline
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.roles import Role
from casework.groups.models import CaseGroup
from casework.groups.services import group_add_cases, group_suggestions_for_case
from casework.intake.limitation import limitation_warnings
from casework.intake.services import PartyInput
from casework.organisation.choices import TeamKind, UnitKind
from casework.organisation.models import Unit
from casework.routing.models import RoutingRule
from casework.routing.router import NoTeamForJurisdiction, route_new_case
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent
from platforms.choices import CompanyKind, Industry
from platforms.models import Company
from tests.factories.cases import (
    cover_streets_with_unit_office,
    make_case,
    make_case_worker,
    make_org,
    put_case_in_state,
)
from tests.factories.organisation import make_staff, make_street, make_team, make_worker

TODAY = date(2026, 11, 22)  # a Sunday: workers file online at weekends too
# Complaints about March 2026 (the default period), filed, grouped and warned about that day.
pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY)]

ARBITRATION = "one-year limit for labour arbitration"
LOOKBACK = "labour inspection may no longer be able to act"


@pytest.fixture
def org():
    return cover_streets_with_unit_office(make_org())


def seeded_rule(category: str) -> RoutingRule:
    return RoutingRule.objects.get(category=category, jurisdiction__isnull=True)


# --- Routing --------------------------------------------------------------------------------


def test_unpaid_pay_goes_to_the_streets_frontline_station(org):
    case = make_case(worker=org.worker, street=org.a.street, category="pay_arrears")
    assert case.team == org.a.station
    rule = seeded_rule("")
    assert rule.note in case.routing_reason_text and str(rule.pk) in case.routing_reason_text
    other = make_case(worker=org.other_worker, street=org.b.street, category="pay_arrears")
    assert other.team == org.b.station


def test_fines_go_to_the_streets_mediators(org):
    case = make_case(worker=org.worker, street=org.a.street, category="fine_deduction")
    assert case.team == org.a.mediators
    assert seeded_rule("fine_deduction").note in case.routing_reason_text


def test_below_minimum_wage_goes_to_a_unit_office_covering_the_street(org):
    case = make_case(worker=org.worker, street=org.a.street, category="min_wage")
    assert case.team == org.unit_office
    assert seeded_rule("min_wage").note in case.routing_reason_text


def test_a_closer_unit_office_is_preferred_to_the_districts(org):
    department = Unit.objects.create(
        code="inspection-dept",
        name="劳动保障监察大队",
        kind=UnitKind.DEPARTMENT,
        parent=org.district,
    )
    inspection = make_team(unit=department, kind=TeamKind.UNIT_OFFICE)
    inspection.covers.add(org.a.street)
    route = route_new_case(jurisdiction=org.a.street, category="min_wage")
    assert route.team == inspection
    assert route_new_case(jurisdiction=org.b.street, category="min_wage").team == org.unit_office


def test_a_rule_whose_team_kind_does_not_cover_the_street_is_skipped():
    org = make_org()  # the district unit office covers no street here
    case = make_case(worker=org.worker, street=org.a.street, category="min_wage")
    assert case.team == org.a.station
    assert seeded_rule("").note in case.routing_reason_text


def test_an_admins_rule_for_one_street_beats_the_general_rule(org):
    rule = RoutingRule.objects.create(
        category="pay_arrears",
        jurisdiction=org.a.street,
        team_kind=TeamKind.COORDINATORS,
        priority=100,
        note="东城街道欠薪案件由协调员直接受理",
    )
    case = make_case(worker=org.worker, street=org.a.street, category="pay_arrears")
    assert case.team == org.a.coordinators
    assert rule.note in case.routing_reason_text and str(rule.pk) in case.routing_reason_text
    other = make_case(worker=org.other_worker, street=org.b.street, category="pay_arrears")
    assert other.team == org.b.station, "the other street keeps the general rule"


def test_among_general_rules_the_lower_priority_number_wins(org):
    RoutingRule.objects.create(
        category="min_wage", team_kind=TeamKind.COORDINATORS, priority=5, note="先由协调员核实"
    )
    assert route_new_case(jurisdiction=org.a.street, category="min_wage").team == (
        org.a.coordinators
    )


def test_a_street_without_a_station_falls_back_to_its_coordinators():
    street = make_street("无站点街道")
    coordinators = make_team(unit=street, kind=TeamKind.COORDINATORS)
    route = route_new_case(jurisdiction=street, category="pay_arrears")
    assert route.team == coordinators
    with translation.override("en"):
        assert route.reason == "No rule matched: the first-contact team of the street."


def test_the_routing_reason_is_shown_in_the_readers_language_not_the_filers(client, org):
    # Given a case filed while English was active, by a general rule and by a rule without
    # a note (whose reason names the rule's category and team kind)
    RoutingRule.objects.create(category="min_wage", team_kind=TeamKind.COORDINATORS, priority=1)
    with translation.override("en"):
        case = make_case(worker=org.worker, street=org.a.street, category="pay_arrears")
        bare = make_case(worker=org.other_worker, street=org.a.street, category="min_wage")
    client.force_login(org.a.coordinator)
    # When a Chinese reader opens them, then the reason is in Chinese
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    rule = seeded_rule("")
    assert f"规则 {rule.pk}：{rule.note}" in page, "a Chinese reader saw the English reason"
    assert "Rule " not in page
    with translation.override("zh-hans"):
        assert "低于最低工资 → 劳动关系协调员队伍" in bare.routing_reason_text
    # and an English reader sees it in English
    client.cookies["django_language"] = "en"
    page = client.get(reverse("casework:case_detail", args=[bare.pk])).content.decode()
    assert "Rule " in page and "Below the minimum wage → Labour-relations coordinators" in page


def test_a_street_without_a_station_says_why_in_each_language():
    street = make_street("无站点街道")
    make_team(unit=street, kind=TeamKind.COORDINATORS)
    with translation.override("en"):
        case = make_case(worker=make_case_worker(), street=street, category="pay_arrears")
    assert case.routing_reason_text == "未匹配到分派规则：由所在街道的首接队伍承办。"
    with translation.override("en"):
        assert case.routing_reason_text == (
            "No rule matched: the first-contact team of the street."
        )


def test_a_reason_written_as_words_is_shown_as_written(client, org):
    # Given a case whose reason was written as words (older data, the bench seeder)
    case = make_case(worker=org.worker, street=org.a.street, category="pay_arrears")
    Case.objects.filter(pk=case.pk).update(
        routing=None, routing_reason="首次接待与事实核查：一线服务站点"
    )
    client.force_login(org.a.coordinator)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "首次接待与事实核查：一线服务站点" in page


def test_the_migration_turns_the_routers_words_back_into_keys(org):
    migration = importlib.import_module("casework.migrations.0014_case_routing")
    rule = seeded_rule("")
    texts = {
        "rule_zh": f"规则 {rule.pk}：{rule.note}",
        "rule_en": f"Rule {rule.pk}: {rule.note}",
        "none_zh": "未匹配到分派规则：由所在街道的首接队伍承办。",
        "none_en": "No rule matched: the first-contact team of the street.",
        "free": "首次接待与事实核查：一线服务站点",
    }
    cases = {}
    for name, text in texts.items():
        case = make_case(worker=make_case_worker(), street=org.a.street, category="pay_arrears")
        Case.objects.filter(pk=case.pk).update(routing=None, routing_reason=text)
        cases[name] = case
    migration.reasons_to_keys(django_apps, None)
    for case in cases.values():
        case.refresh_from_db()
    assert (
        cases["rule_en"].routing
        == cases["rule_zh"].routing
        == {
            "key": "rule",
            "rule": rule.pk,
            "note": rule.note,
            "category": rule.category,
            "team_kind": rule.team_kind,
        }
    )
    assert cases["none_en"].routing == cases["none_zh"].routing == {"key": "no_rule"}
    assert cases["none_en"].routing_reason == ""
    assert cases["free"].routing is None
    assert cases["free"].routing_reason_text == "首次接待与事实核查：一线服务站点"
    with translation.override("en"):
        assert cases["rule_zh"].routing_reason_text == f"Rule {rule.pk}: {rule.note}"


def test_a_street_without_any_team_cannot_take_complaints_and_says_so():
    street = make_street("空白街道")
    with translation.override("en"), pytest.raises(NoTeamForJurisdiction) as refused:
        route_new_case(jurisdiction=street, category="pay_arrears")
    assert "空白街道" in str(refused.value)


# --- Suggestions ----------------------------------------------------------------------------


def chain(org, operator=None):
    return [
        PartyInput(kind=CompanyKind.PLATFORM, company=org.platform),
        PartyInput(kind=CompanyKind.OPERATOR, company=operator or org.operator),
    ]


def operator_case(org, worker=None, *, start=date(2026, 3, 1), end=date(2026, 3, 31), **fields):
    return make_case(
        worker=worker or make_case_worker(),
        street=fields.pop("street", org.a.street),
        parties=fields.pop("parties", None) or chain(org),
        period_start=start,
        period_end=end,
        **fields,
    )


def test_complaints_against_the_same_operator_over_overlapping_periods_are_suggested(org):
    case = operator_case(org)
    overlapping = operator_case(org, start=date(2026, 3, 25), end=date(2026, 4, 30))
    inside = operator_case(org, start=date(2026, 3, 10), end=date(2026, 3, 12))
    touching = operator_case(org, start=date(2026, 3, 31), end=date(2026, 4, 10))
    later = operator_case(org, start=date(2026, 4, 1), end=date(2026, 4, 30))
    earlier = operator_case(org, start=date(2026, 1, 1), end=date(2026, 2, 28))
    other_operator = Company.objects.create(
        name="城西配送站运营公司",
        kind=CompanyKind.OPERATOR,
        industry=Industry.FOOD_DELIVERY,
        parent=org.platform,
    )
    elsewhere = operator_case(org, parties=chain(org, other_operator))
    platform_only = operator_case(
        org, parties=[PartyInput(kind=CompanyKind.PLATFORM, company=org.platform)]
    )
    closed = operator_case(org)
    put_case_in_state(closed, CaseState.WITHDRAWN, org.supervisor)

    suggested = {c.pk for c in group_suggestions_for_case(user=org.a.coordinator, case=case)}

    assert suggested == {overlapping.pk, inside.pk, touching.pk}
    for not_related in (later, earlier, elsewhere, platform_only, closed):
        assert not_related.pk not in suggested


def test_suggestions_stay_within_what_the_coordinator_may_see(org):
    case = operator_case(org)
    other_street = operator_case(org, street=org.b.street)
    assert group_suggestions_for_case(user=org.a.coordinator, case=case) == []
    assert [c.pk for c in group_suggestions_for_case(user=org.supervisor, case=case)] == [
        other_street.pk
    ]


def test_cases_already_in_the_group_are_not_suggested_again(org):
    case, related = operator_case(org), operator_case(org)
    group_add_cases(actor=org.a.coordinator, case_ids=[case.pk, related.pk])
    case.refresh_from_db()
    assert group_suggestions_for_case(user=org.a.coordinator, case=case) == []


def test_only_complaints_naming_the_groups_employer_can_join(org):
    case = operator_case(org)
    group = group_add_cases(actor=org.a.coordinator, case_ids=[case.pk])
    assert group.employer == org.operator
    stranger = make_case(worker=make_case_worker(), street=org.a.street, platform=org.platform)
    other = Company.objects.create(
        name="另一家配送公司", kind=CompanyKind.OPERATOR, industry=Industry.FOOD_DELIVERY
    )
    stranger_op = operator_case(org, parties=chain(org, other))
    with pytest.raises(ActionRefused):
        group_add_cases(actor=org.a.coordinator, case_ids=[stranger_op.pk], group_id=group.pk)
    # a complaint naming only the platform, not the operator, does not belong either
    with pytest.raises(ActionRefused):
        group_add_cases(actor=org.a.coordinator, case_ids=[stranger.pk], group_id=group.pk)
    assert list(group.cases.values_list("pk", flat=True)) == [case.pk]


# --- The collective threshold ---------------------------------------------------------------


def add_one_by_one(org, cases):
    group = group_add_cases(actor=org.a.coordinator, case_ids=[cases[0].pk])
    for case in cases[1:]:
        group = group_add_cases(actor=org.a.coordinator, case_ids=[case.pk], group_id=group.pk)
    group.refresh_from_db()
    return group


def collective_events(group) -> int:
    return CaseEvent.objects.filter(case__group=group, kind=EventKind.COLLECTIVE).count()


def test_nine_workers_are_not_collective_and_the_tenth_makes_it(org, settings):
    settings.ANXIN_COLLECTIVE_THRESHOLD = 10
    cases = [operator_case(org, make_case_worker(f"骑手{i}")) for i in range(10)]

    group = add_one_by_one(org, cases[:9])
    assert not group.is_collective and group.collective_since is None
    assert collective_events(group) == 0
    assert {c.team_id for c in Case.objects.filter(group=group)} == {org.a.station.pk}

    group = group_add_cases(actor=org.a.coordinator, case_ids=[cases[9].pk], group_id=group.pk)
    group.refresh_from_db()

    assert group.is_collective and group.collective_since is not None
    members = Case.objects.filter(group=group)
    assert members.count() == 10
    assert {c.team_id for c in members} == {org.unit_office.pk}, "moved to tier 1"
    assert all(c.assignee_id is None for c in members)
    for case in members:
        (event,) = CaseEvent.objects.filter(case=case, kind=EventKind.COLLECTIVE)
        assert "10" in event.reason
        assert case.history.order_by("-history_date", "-history_id").first().history_user == (
            org.a.coordinator
        )


def test_a_third_worker_makes_a_collective_case_at_threshold_three(org, settings):
    settings.ANXIN_COLLECTIVE_THRESHOLD = 3
    cases = [operator_case(org, make_case_worker(f"骑手{i}")) for i in range(4)]
    group = group_add_cases(actor=org.a.coordinator, case_ids=[c.pk for c in cases[:2]])
    group.refresh_from_db()
    assert not group.is_collective

    group_add_cases(actor=org.a.coordinator, case_ids=[cases[2].pk], group_id=group.pk)
    group.refresh_from_db()
    since = group.collective_since
    assert since is not None and collective_events(group) == 3

    group_add_cases(actor=org.a.coordinator, case_ids=[cases[3].pk], group_id=group.pk)
    group.refresh_from_db()
    assert group.collective_since == since, "it became collective once"
    assert collective_events(group) == 3


def test_several_complaints_of_one_worker_count_once(org, settings):
    settings.ANXIN_COLLECTIVE_THRESHOLD = 10
    workers = [make_case_worker(f"骑手{i}") for i in range(9)]
    cases = [operator_case(org, w) for w in workers]
    cases.append(operator_case(org, workers[0], start=date(2026, 3, 15), end=date(2026, 4, 15)))

    group = group_add_cases(actor=org.a.coordinator, case_ids=[c.pk for c in cases])
    group.refresh_from_db()

    assert group.cases.count() == 10 and not group.is_collective
    assert collective_events(group) == 0

    tenth = operator_case(org, make_case_worker("第十位骑手"))
    group_add_cases(actor=org.a.coordinator, case_ids=[tenth.pk], group_id=group.pk)
    group.refresh_from_db()
    assert group.is_collective and collective_events(group) == 11


def test_closed_complaints_in_a_collective_group_stay_where_they_are(org, settings):
    settings.ANXIN_COLLECTIVE_THRESHOLD = 3
    cases = [operator_case(org, make_case_worker(f"骑手{i}")) for i in range(3)]
    put_case_in_state(cases[0], CaseState.WITHDRAWN, org.supervisor)
    group_add_cases(actor=org.a.coordinator, case_ids=[c.pk for c in cases])
    withdrawn = Case.objects.get(pk=cases[0].pk)
    assert withdrawn.team == org.a.station
    assert not CaseEvent.objects.filter(case=withdrawn, kind=EventKind.COLLECTIVE).exists()
    assert {Case.objects.get(pk=c.pk).team for c in cases[1:]} == {org.unit_office}


def test_only_coordinators_and_supervisors_group_complaints(org):
    cases = [operator_case(org), operator_case(org)]
    with pytest.raises(ActionRefused):
        group_add_cases(actor=org.a.mediator, case_ids=[c.pk for c in cases])
    assert not CaseGroup.objects.exists()


# --- The group page and group actions -------------------------------------------------------


@pytest.fixture
def group(org):
    cases = [
        operator_case(org, make_case_worker("赵师傅"), amount_claimed=Decimal("1200.50")),
        operator_case(org, make_case_worker("钱师傅"), amount_claimed=Decimal("800.25")),
        operator_case(org, make_case_worker("孙师傅"), amount_claimed=Decimal("3000.00")),
    ]
    return group_add_cases(actor=org.a.coordinator, case_ids=[c.pk for c in cases])


def test_grouping_from_the_case_page(client, org):
    case, other, third = operator_case(org), operator_case(org), operator_case(org)
    client.force_login(org.a.coordinator)
    related_url = reverse("casework:case_related", args=[case.pk])
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert f'data-panel-url="{related_url}?panel=1"' in page, "the page fetches the panel"
    assert f'href="{related_url}"' in page, "and links to it without JavaScript"
    panel = client.get(related_url, {"panel": "1"})
    assert {c.pk for c in panel.context["suggestions"]} == {other.pk, third.pk}
    assert "<html" not in panel.content.decode(), "a fragment, not a page"
    whole = client.get(related_url).content.decode()
    assert "<html" in whole and other.reference in whole and third.reference in whole

    response = client.post(reverse("casework:case_group", args=[case.pk]), {"cases": [other.pk]})

    group = CaseGroup.objects.get()
    assert response["Location"] == reverse("casework:group_detail", args=[group.pk])
    assert set(group.cases.values_list("pk", flat=True)) == {case.pk, other.pk}
    assert CaseEvent.objects.filter(kind=EventKind.GROUPED).count() == 2


def test_the_group_page_shows_the_workers_and_the_total_claimed(client, org, group):
    client.force_login(org.a.coordinator)
    response = client.get(reverse("casework:group_detail", args=[group.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<dd data-testid="worker-count">3</dd>' in page
    assert '<dd data-testid="total-claimed">5,000.75</dd>' in page
    # a list: the workers' names masked (casework/privacy), one row each
    for name in ("赵师傅", "钱师傅", "孙师傅"):
        assert name not in page and f"{name[0]}**" in page


def test_the_group_page_counts_a_worker_once(client, org, group):
    first = group.cases.order_by("pk").first()
    again = operator_case(org, first.worker, amount_claimed=Decimal("99.25"))
    group_add_cases(actor=org.a.coordinator, case_ids=[again.pk], group_id=group.pk)
    client.force_login(org.a.coordinator)
    page = client.get(reverse("casework:group_detail", args=[group.pk])).content.decode()
    assert '<dd data-testid="worker-count">3</dd>' in page
    assert '<dd data-testid="total-claimed">5,100.00</dd>' in page


def test_someone_from_another_street_gets_404(client, org, group):
    for outsider in (org.b.coordinator, make_worker("13700001111"), org.representative):
        client.force_login(outsider)
        assert client.get(reverse("casework:group_detail", args=[group.pk])).status_code == 404
        response = client.post(
            reverse("casework:group_action", args=[group.pk, "assign"]),
            {"assignee": org.b.coordinator.pk},
        )
        assert response.status_code == 404
    assert client.get(reverse("casework:group_detail", args=[999999])).status_code == 404
    assert not Case.objects.filter(group=group, assignee__isnull=False).exists()


def test_the_supervisor_sees_the_group(client, org, group):
    client.force_login(org.supervisor)
    assert client.get(reverse("casework:group_detail", args=[group.pk])).status_code == 200


def test_assigning_the_whole_group(client, org, group):
    client.force_login(org.a.coordinator)
    response = client.post(
        reverse("casework:group_action", args=[group.pk, "assign"]),
        {"assignee": org.a.mediator.pk},
    )
    assert response["Location"] == reverse("casework:group_detail", args=[group.pk])
    assert {c.assignee_id for c in Case.objects.filter(group=group)} == {org.a.mediator.pk}
    assert CaseEvent.objects.filter(case__group=group, kind=EventKind.ASSIGNED).count() == 3


def test_assigning_to_someone_who_cannot_work_on_the_cases_changes_nothing(client, org, group):
    client.force_login(org.a.coordinator)
    client.post(
        reverse("casework:group_action", args=[group.pk, "assign"]),
        {"assignee": org.b.coordinator.pk},
    )
    assert not Case.objects.filter(group=group, assignee__isnull=False).exists()


def test_one_mediation_for_every_case_that_can_start_it(client, org, group):
    first, second, third = group.cases.order_by("pk")
    put_case_in_state(first, CaseState.VERIFYING, org.supervisor)
    put_case_in_state(second, CaseState.VERIFYING, org.supervisor)
    client.force_login(org.a.coordinator)

    client.post(
        reverse("casework:group_action", args=[group.pk, "start-mediation"]),
        {"reason": "11月30日上午9点在街道调解室集中调解"},
    )

    states = dict(Case.objects.filter(group=group).values_list("pk", "state"))
    assert states == {
        first.pk: CaseState.MEDIATING,
        second.pk: CaseState.MEDIATING,
        third.pk: CaseState.SUBMITTED,
    }
    assert Deadline.objects.filter(case__group=group, rule__key="MEDIATION").count() == 2
    event = CaseEvent.objects.filter(case=first, transition="start_mediation").get()
    assert event.reason == "11月30日上午9点在街道调解室集中调解"


def test_starting_mediation_when_no_case_can_says_so(client, org, group):
    client.cookies["django_language"] = "en"
    client.force_login(org.a.coordinator)
    response = client.post(
        reverse("casework:group_action", args=[group.pk, "start-mediation"]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "No case of this group can start mediation now."
    ]
    assert set(Case.objects.filter(group=group).values_list("state", flat=True)) == {"submitted"}


# --- Limitation warnings --------------------------------------------------------------------


def warnings_for(period_end, still_working, today=TODAY):
    with translation.override("en"):
        return " ".join(
            limitation_warnings(period_end=period_end, still_working=still_working, today=today)
        )


@pytest.mark.parametrize(
    ("period_end", "still_working", "arbitration", "lookback"),
    [
        (date(2026, 10, 31), False, False, False),
        (date(2025, 11, 22), False, False, False),  # exactly one year ago: still in time
        (date(2025, 11, 21), False, True, False),
        (date(2025, 6, 30), None, True, False),  # not said: warn, staff will check
        (date(2025, 6, 30), True, False, False),  # pay owed while still working there
        (date(2024, 11, 22), True, False, False),
        (date(2024, 11, 21), True, False, True),
        (date(2024, 11, 21), False, True, True),
    ],
)
def test_limitation_warnings(period_end, still_working, arbitration, lookback):
    text = warnings_for(period_end, still_working)
    assert (ARBITRATION in text) is arbitration
    assert (LOOKBACK in text) is lookback


def test_the_limits_count_from_29_february():
    assert ARBITRATION in warnings_for(date(2027, 2, 27), False, today=date(2028, 2, 29))
    assert ARBITRATION not in warnings_for(date(2027, 2, 28), False, today=date(2028, 2, 29))


def test_the_warning_is_stored_on_the_case(org):
    # on 22 November 2026, a period that ended on 18 October 2025 ended over a year ago
    with translation.override("en"):
        late = make_case(
            worker=org.worker,
            street=org.a.street,
            period_start=date(2025, 7, 10),
            period_end=date(2025, 10, 18),
            still_working=False,
        )
        working = make_case(
            worker=org.other_worker,
            street=org.a.street,
            period_start=date(2025, 7, 10),
            period_end=date(2025, 10, 18),
            still_working=True,
        )
    assert ARBITRATION in late.limitation_warning
    assert working.limitation_warning == ""
    assert late.state == CaseState.SUBMITTED, "a warning, never a refusal"


def walk_intake(client, org, *, period_end, still_working):
    steps = [
        {"category": "pay_arrears", "description": "去年的配送费一直没有结算"},
        {"platform": org.platform.pk, "operator": org.operator.name},
        {
            "jurisdiction": org.a.street.pk,
            "period_start": (period_end - timedelta(days=90)).isoformat(),
            "period_end": period_end.isoformat(),
            "amount_claimed": "4200.00",
            "still_working": still_working,
        },
        {"worker_name": "张伟"},
    ]
    for number, data in enumerate(steps, start=1):
        response = client.post(reverse("casework:intake_step", args=[number]), data)
        assert response.status_code == 302, response.context["form"].errors


def test_the_worker_is_warned_before_sending_and_can_still_file(client, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    worker = make_worker("13955556666")
    client.cookies["django_language"] = "en"
    client.force_login(worker)
    # more than two years before 22 November 2026
    walk_intake(client, org, period_end=date(2024, 9, 13), still_working="no")

    page = client.get(reverse("casework:intake_step", args=[5])).content.decode()
    assert ARBITRATION in page and LOOKBACK in page

    response = client.post(reverse("casework:intake_step", args=[5]), {"consent_to_share": "on"})
    case = Case.objects.get(worker=worker)
    assert response["Location"] == reverse("casework:receipt", args=[case.pk])
    assert ARBITRATION in case.limitation_warning and LOOKBACK in case.limitation_warning

    client.force_login(org.a.station_coordinator)
    staff_page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert ARBITRATION in staff_page


def test_a_worker_still_working_there_is_not_warned_about_arbitration(client, org):
    client.cookies["django_language"] = "en"
    client.force_login(make_worker("13955557777"))
    walk_intake(client, org, period_end=date(2025, 10, 18), still_working="yes")
    page = client.get(reverse("casework:intake_step", args=[5])).content.decode()
    assert ARBITRATION not in page and LOOKBACK not in page
    assert "Please note" not in page


def test_staff_filing_for_a_caller_also_records_the_warning(client, org):
    client.cookies["django_language"] = "en"
    client.force_login(org.a.station_coordinator)
    response = client.post(
        reverse("casework:staff_intake"),
        {
            "worker_mobile": "13966668888",
            "worker_name": "周师傅",
            "channel": "walk_in",
            "category": "pay_arrears",
            "description": "前年十月到十二月的工资一直没给",
            "platform": org.platform.pk,
            "jurisdiction": org.a.street.pk,
            "period_start": "2024-06-05",
            "period_end": "2024-10-23",  # over two years before 22 November 2026
            "amount_claimed": "5000",
            "still_working": "no",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get(worker__mobile="13966668888")
    assert LOOKBACK in case.limitation_warning and ARBITRATION in case.limitation_warning


def test_staff_of_another_street_cannot_group_its_complaints(org):
    # to a coordinator of another street the complaint does not exist
    case = operator_case(org)
    outsider = make_staff(role=Role.COORDINATOR, team=make_team(unit=make_street("远方街道")))
    with pytest.raises(CaseNotFound):
        group_add_cases(actor=outsider, case_ids=[case.pk])
    assert not CaseGroup.objects.exists()


def test_related_complaints_are_for_the_cases_coordinators_and_supervisors(client, org):
    case = operator_case(org)
    url = reverse("casework:case_related", args=[case.pk])
    for outsider in (org.b.coordinator, org.a.mediator, org.worker):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider
    client.force_login(org.supervisor)
    assert client.get(url).status_code == 200
    client.force_login(org.a.coordinator)
    assert client.get(reverse("casework:case_related", args=[999_999])).status_code == 404
