"""The procedure's rules: the congress vote at its boundaries, the representatives, the term of
one to three years, the clause library and its parameters."""

from datetime import date

import pytest
from django.utils import translation

from casework.core.errors import ActionRefused
from mediation.contracts.choices import Chapter, ContractState, Side
from mediation.contracts.models import ClauseTemplate, CollectiveContract, CongressVote
from mediation.contracts.parameters import PARAMETERS, template_problems
from mediation.contracts.rules import (
    VoteCount,
    term_problem,
    vote_failure_reasons,
    vote_number_problems,
    vote_passes,
)
from mediation.contracts.services.lifecycle import contract_transition
from mediation.contracts.services.proceedings import (
    representative_add,
    representative_remove,
    round_record,
    vote_record,
)
from mediation.contracts.services.terms import clause_add, contract_create, contract_update_terms
from tests.contracts.builders import (
    TODAY,
    add_clause,
    add_representatives,
    at,
    consulting_contract,
    make_contract_org,
    platform_terms,
    template,
)

S = ContractState
pytestmark = pytest.mark.now(TODAY, hour=15)


@pytest.fixture
def co(db):
    return make_contract_org()


# --- The workers' congress: attended*3 >= members*2 and yes*2 >= members ---------------
# 集体合同规定 §36 says 三分之二以上 attend and 半数以上 vote yes; 以上 includes the number
# itself (民法典 §1259).


@pytest.mark.parametrize(
    ("members", "attended", "yes", "passes"),
    [
        (120, 120, 60, True),  # exactly half of all members: 半数以上 includes half
        (120, 120, 59, False),  # one short of half
        (120, 80, 60, True),  # exactly two thirds attend
        (120, 79, 60, False),  # one short of two thirds
        (120, 80, 80, True),
        (90, 60, 45, True),  # 45 of 90 is half
        (90, 60, 44, False),
        (90, 90, 44, False),  # more than half of those present is not enough
        (91, 61, 46, True),  # 61*3=183 >= 182; 46*2=92 >= 91
        (91, 60, 46, False),  # 180 < 182
        (91, 61, 45, False),  # 90 < 91
        (3, 2, 2, True),
        (3, 2, 1, False),
        (3, 1, 1, False),
        (1, 1, 1, True),
        (2, 2, 1, True),
    ],
)
def test_congress_rule_at_the_boundaries(members, attended, yes, passes):
    count = VoteCount(members, attended, yes, no=0, abstain=0)
    assert vote_number_problems(count) == {}
    assert vote_passes(count) is passes


def test_a_failed_vote_says_the_rule_in_words_with_the_number_needed():
    with translation.override("zh-hans"):
        short_of_half = vote_failure_reasons(VoteCount(120, 120, 59, 61, 0))
        short_of_quorum = vote_failure_reasons(VoteCount(120, 79, 79, 0, 0))
    assert short_of_half == [
        "赞成 59 票；赞成票须达到全体 120 名成员的半数以上（含半数），即至少 60 票"
    ]
    assert short_of_quorum == [
        "应到 120 人，实到 79 人；出席人数须达到全体成员的三分之二以上（含三分之二），即至少 80 人"
    ]


@pytest.mark.parametrize(
    ("count", "field", "words"),
    [
        (VoteCount(90, 91, 46, 0, 0), "attended", "只有 90 名成员"),
        (VoteCount(120, 80, 81, 0, 0), "yes", "只有出席的成员才能投票"),
        (VoteCount(90, 60, 46, 10, 5), "yes", "合计 61"),  # 61 ballots from 60 present
        (VoteCount(0, 0, 0, 0, 0), "members", "至少应有一名成员"),
        (VoteCount(90, -1, 0, 0, 0), "attended", "不能为负数"),
        (VoteCount(-90, 10, 0, 0, 0), "members", "不能为负数"),
        (VoteCount(90, 60, -1, 0, 0), "yes", "不能为负数"),
        (VoteCount(10**9, 1, 1, 0, 0), "members", "1000000"),
    ],
)
def test_impossible_vote_numbers_are_refused_by_field_in_words(count, field, words):
    with translation.override("zh-hans"):
        problems = vote_number_problems(count)
    assert field in problems
    assert words in problems[field], problems[field]


def _ready_for_vote(co):
    contract = consulting_contract(co.keeper, co.org)
    return contract


def test_a_passing_vote_approves_and_records_the_text_voted_on(co):
    contract = _ready_for_vote(co)
    outcome = vote_record(
        actor=co.keeper,
        contract_id=contract.pk,
        count=VoteCount(90, 60, 46, 10, 4),
        held_at=at(TODAY, 9),
        expected_state=S.CONSULTING,
    )
    assert outcome.passed
    contract.refresh_from_db()
    assert contract.state == S.CONGRESS_APPROVED
    vote = CongressVote.objects.get(contract=contract)
    assert vote.version == contract.versions.order_by("-number").first()


def test_a_failing_vote_is_recorded_with_its_reasons(co):
    contract = _ready_for_vote(co)
    outcome = vote_record(
        actor=co.keeper,
        contract_id=contract.pk,
        count=VoteCount(90, 59, 44, 10, 4),
        held_at=at(TODAY, 9),
    )
    assert not outcome.passed
    assert len(outcome.reasons) == 2  # attendance and majority
    assert "59" in outcome.reasons[0] and "60" in outcome.reasons[0]
    assert "44" in outcome.reasons[1] and "45" in outcome.reasons[1]
    assert CongressVote.objects.filter(contract=contract, passed=False).count() == 1
    assert CollectiveContract.objects.get(pk=contract.pk).state == S.CONSULTING


def test_impossible_numbers_write_nothing(co):
    contract = _ready_for_vote(co)
    with pytest.raises(ActionRefused) as refused:
        vote_record(
            actor=co.keeper,
            contract_id=contract.pk,
            count=VoteCount(90, 95, 46, 0, 0),
            held_at=at(TODAY, 9),
        )
    assert refused.value.field == "attended"
    assert not CongressVote.objects.exists()


def test_the_congress_votes_only_on_a_draft_with_rounds_clauses_and_representatives(co):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    add_representatives(contract, co.keeper)
    contract_transition(actor=co.keeper, contract_id=contract.pk, name="start_consulting")
    with pytest.raises(ActionRefused) as refused:
        vote_record(
            actor=co.keeper,
            contract_id=contract.pk,
            count=VoteCount(90, 60, 46, 0, 0),
            held_at=at(TODAY, 9),
        )
    assert "协商" in refused.value.message and "条款" in refused.value.message
    assert not CongressVote.objects.exists()


# --- Representatives ---------------------------------------------------------------------


def test_consultation_needs_three_a_side_equal_numbers_and_one_chief_each(co):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    add = dict(actor=co.keeper, contract_id=contract.pk, organisation="工会")

    def start():
        contract_transition(actor=co.keeper, contract_id=contract.pk, name="start_consulting")

    for i in range(3):
        representative_add(**add, side=Side.WORKERS, name=f"职工{i}", is_chief=i == 0)
    for i in range(2):
        representative_add(**add, side=Side.EMPLOYER, name=f"企业{i}", is_chief=False)
    with pytest.raises(ActionRefused) as refused:
        start()
    message = refused.value.message
    assert "至少需要 3 名" in message and "人数应当相等" in message and "首席代表" in message

    representative_add(**add, side=Side.EMPLOYER, name="企业2", is_chief=False)
    with pytest.raises(ActionRefused) as refused:
        start()
    assert "首席代表" in refused.value.message and "人数应当相等" not in refused.value.message

    representative_add(**add, side=Side.EMPLOYER, name="企业3", is_chief=True)
    with pytest.raises(ActionRefused) as refused:  # four against three
        start()
    assert "人数应当相等" in refused.value.message

    representative_add(**add, side=Side.WORKERS, name="职工3", is_chief=True)
    start()  # a new chief replaced the old one: one chief a side, four a side
    contract.refresh_from_db()
    assert contract.state == S.CONSULTING
    chiefs = contract.representatives.filter(is_chief=True)
    assert sorted(chiefs.values_list("name", flat=True)) == ["企业3", "职工3"]


def test_representatives_are_frozen_after_the_congress(co):
    contract = _ready_for_vote(co)
    vote_record(
        actor=co.keeper,
        contract_id=contract.pk,
        count=VoteCount(90, 60, 46, 0, 0),
        held_at=at(TODAY, 9),
    )
    person = contract.representatives.first()
    with pytest.raises(ActionRefused):
        representative_remove(actor=co.keeper, contract_id=contract.pk, representative_id=person.pk)
    with pytest.raises(ActionRefused):
        add_clause(contract, co.keeper, "training")


# --- Term: one to three years ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), True),  # exactly one year
        (date(2026, 1, 1), date(2026, 12, 30), False),  # a day short
        (date(2026, 1, 1), date(2028, 12, 31), True),  # exactly three years
        (date(2026, 1, 1), date(2029, 1, 1), False),  # a day over
        (date(2024, 2, 29), date(2025, 2, 27), True),  # leap day: one year ends 27 Feb
        (date(2024, 2, 29), date(2025, 2, 26), False),
        (date(2026, 1, 1), date(2025, 12, 31), False),
    ],
)
def test_term_of_one_to_three_years(start, end, ok):
    assert (term_problem(start, end) is None) is ok


def test_a_term_outside_one_to_three_years_is_refused_with_the_allowed_range(co):
    with pytest.raises(ActionRefused) as refused:
        contract_create(
            actor=co.keeper,
            terms=platform_terms(co.org, term_start=date(2026, 1, 1), term_end=date(2029, 6, 30)),
        )
    assert refused.value.field == "term_end"
    assert "2026-12-31" in refused.value.message and "2028-12-31" in refused.value.message
    assert not CollectiveContract.objects.exists()


def test_reply_before_request_is_refused(co):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    with pytest.raises(ActionRefused) as refused:
        contract_update_terms(
            actor=co.keeper,
            contract_id=contract.pk,
            terms=platform_terms(co.org, request_on=date(2026, 3, 10), reply_on=date(2026, 3, 1)),
        )
    assert refused.value.field == "reply_on"


# --- The clause library ------------------------------------------------------------------


def test_the_seeded_library_covers_the_chapters_with_valid_typed_parameters(db):
    templates = list(ClauseTemplate.objects.all())
    assert len(templates) >= 10
    chapters = {t.chapter for t in templates}
    assert chapters == set(Chapter.values)
    for tpl in templates:
        assert template_problems(tpl.text, tpl.parameters) == [], tpl.key
    used = {name for t in templates for name in t.parameters}
    for name in (
        "hourly_floor",
        "rest_prompt_after_hours",
        "rest_minutes",
        "speed_cap_kmh",
        "commission_cap_percent",
        "consultation_per_year",
        "notice_days",
        "weather_allowance_per_order",
    ):
        assert name in used
    # Ele.me's 2025 figures are the defaults: 25 yuan an hour, 23 km/h, 20 minutes after 4 h.
    assert template("hourly-floor").parameters["hourly_floor"] == "25.00"
    assert template("speed-cap").parameters["speed_cap_kmh"] == "23"
    assert template("rest-prompt").parameters == {
        "rest_prompt_after_hours": "4.0",
        "rest_minutes": "20",
    }


@pytest.mark.parametrize(
    ("name", "raw", "ok", "stored"),
    [
        ("hourly_floor", "25", True, "25.00"),
        ("hourly_floor", "25.5", True, "25.50"),
        ("hourly_floor", "25.555", False, None),
        ("hourly_floor", "9.99", False, None),
        ("hourly_floor", "abc", False, None),
        ("hourly_floor", "", False, None),
        ("hourly_floor", "NaN", False, None),
        ("hourly_floor", "1e2", True, "100.00"),
        ("rest_minutes", "20", True, "20"),
        ("rest_minutes", "20.5", False, None),
        ("notice_days", "6", False, None),  # E-Commerce Law: at least seven days
        ("commission_cap_percent", "20", True, "20.0"),
        ("commission_cap_percent", "50.1", False, None),
    ],
)
def test_parameter_values_are_typed_and_in_range(name, raw, ok, stored):
    spec = PARAMETERS[name]
    if ok:
        assert spec.canonical(raw) == stored
    else:
        with pytest.raises(ValueError, match=str(spec.label)):
            spec.canonical(raw)


def test_a_clause_with_a_value_out_of_range_is_refused_and_the_text_unchanged(co):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    versions = contract.versions.count()
    with pytest.raises(ActionRefused) as refused:
        clause_add(
            actor=co.keeper,
            contract_id=contract.pk,
            template_id=template("hourly-floor").pk,
            values={"hourly_floor": "5"},
        )
    assert refused.value.field == "hourly_floor"
    assert not contract.clauses.exists()
    assert contract.versions.count() == versions


def test_rounds_are_numbered_and_need_minutes(co):
    contract = consulting_contract(co.keeper, co.org)
    second = round_record(
        actor=co.keeper,
        contract_id=contract.pk,
        held_at=at(TODAY, 8),
        place="平台公司会议室",
        attendees="双方代表",
        minutes="就极端天气补贴继续协商。",
    )
    assert second.number == 2
    with pytest.raises(ActionRefused) as refused:
        round_record(
            actor=co.keeper,
            contract_id=contract.pk,
            held_at=at(TODAY, 8),
            place="会议室",
            attendees="双方代表",
            minutes="  ",
        )
    assert refused.value.field == "minutes"
