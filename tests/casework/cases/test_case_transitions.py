"""The case state machine as the services enforce it: who may move a case, from where, to
where, with what, and what is written down when they do.

The expected outcomes come from tables written out literally below (from the state table in
ARCHITECTURE.md and the role sets in casework/transitions.py), not from the code under test,
so a change in either the machine or the permissions shows up here.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import translation

from arrears.models import Payment
from arrears.services import payment_confirm, payment_record, verified_amount_set
from casework.cases.choices import CaseState
from casework.cases.lifecycle import TRANSITIONS as RULES
from casework.cases.models import Case
from casework.cases.selectors import case_get_for_user
from casework.cases.services.transitions import case_transition
from casework.core.errors import ActionRefused, CaseChanged, CaseNotFound
from casework.intake.models import ReferenceCounter
from casework.intake.services import case_file
from casework.organisation.models import Unit, User
from casework.queues.selectors import QueueFilters, case_queue_for_user
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent
from tests.concurrency import run_together
from tests.factories.cases import (
    REASON,
    make_case,
    make_case_worker,
    make_complaint,
    make_org,
    put_case_in_state,
)

S = CaseState

# April 2026: complaints about March's pay, payments recorded on 10 April.
pytestmark = pytest.mark.now("2026-04-20")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def org(db):
    return make_org()


# --- The tables, written out by hand ---------------------------------------------------------

# ARCHITECTURE.md, "Case state machine": transition -> (states it leaves from, target state).
MACHINE: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({"submitted"}), "accepted"),
    "decline": (frozenset({"submitted"}), "not_accepted"),
    "transfer": (frozenset({"submitted", "accepted"}), "transferred"),
    "withdraw": (
        frozenset({"submitted", "accepted", "verifying", "awaiting_response", "mediating"}),
        "withdrawn",
    ),
    "start_verification": (frozenset({"accepted"}), "verifying"),
    "request_response": (frozenset({"verifying"}), "awaiting_response"),
    "record_response": (frozenset({"awaiting_response"}), "verifying"),
    "start_mediation": (frozenset({"verifying", "awaiting_response"}), "mediating"),
    "reach_agreement": (frozenset({"mediating"}), "agreement_reached"),
    "fail_mediation": (frozenset({"mediating"}), "mediation_failed"),
    "resolve": (frozenset({"verifying", "agreement_reached"}), "resolved"),
    "refer": (frozenset({"verifying", "awaiting_response", "mediation_failed"}), "referred"),
    "report_breach": (frozenset({"agreement_reached"}), "referred"),
    "close": (
        frozenset({"referred", "resolved", "not_accepted", "transferred", "withdrawn"}),
        "closed",
    ),
    "reopen": (frozenset({"resolved", "closed"}), "verifying"),
    # Prepared on the merge page (casework.merging, tests/merging): never a bare button.
    "merge": (
        frozenset(
            {"submitted", "accepted", "verifying", "awaiting_response", "mediating"}
            | {"agreement_reached", "mediation_failed"}
        ),
        "merged",
    ),
}

# casework/transitions.py: who may take each transition.
WHO: dict[str, frozenset[str]] = {
    "accept": frozenset({"coordinator", "supervisor"}),
    "decline": frozenset({"coordinator", "supervisor"}),
    "transfer": frozenset({"coordinator", "supervisor"}),
    "withdraw": frozenset({"worker", "coordinator", "supervisor"}),
    "start_verification": frozenset({"coordinator", "inspector", "supervisor"}),
    "request_response": frozenset({"coordinator", "inspector", "supervisor"}),
    "record_response": frozenset({"coordinator", "inspector", "supervisor"}),
    "start_mediation": frozenset({"coordinator", "mediator", "supervisor"}),
    "reach_agreement": frozenset({"mediator", "supervisor"}),
    "fail_mediation": frozenset({"mediator", "supervisor"}),
    "resolve": frozenset({"coordinator", "mediator", "inspector", "supervisor"}),
    "refer": frozenset({"coordinator", "mediator", "inspector", "supervisor"}),
    "report_breach": frozenset({"coordinator", "mediator", "supervisor"}),
    "close": frozenset({"coordinator", "supervisor"}),
    "reopen": frozenset({"supervisor"}),
    "merge": frozenset(),
}

# What each transition needs from the person taking it (the rest is refused without it).
REFERRAL = {"referral_target": "arbitration", "referral_reference": "ARB-1"}
INPUTS: dict[str, dict[str, str]] = {
    "decline": {"reason": "不属于本街道管辖的劳动争议。"},
    "transfer": {"reason": "应由市场监管部门处理。"},
    "withdraw": {"reason": "工人已与站点自行协商解决。"},
    "record_response": {"reason": "企业书面回复称已安排补发。"},
    "fail_mediation": {"reason": "企业拒绝任何方案。"},
    "refer": REFERRAL,
    "report_breach": {"reason": "企业未按协议付款。", **REFERRAL},
    "reopen": {"reason": "工人反映款项未到账。"},
    # The claim is owed until verified: resolving at once takes the worker's waiver.
    "resolve": {"waiver": "工人书面放弃申请的金额。"},
}

# The actors, and the case-work role each holds on a case filed in street A.
ACTORS: dict[str, str | None] = {
    "worker": "worker",  # the worker who filed the case
    "coordinator": "coordinator",  # coordinator team covering street A
    "mediator": "mediator",  # mediators team covering street A
    "inspector": "inspector",  # inspection assistants covering street A
    "supervisor": "supervisor",  # unit office of the district
    "other_coordinator": None,  # coordinator of street B: may not see the case
    "platform_representative": None,  # represents the platform named: no case access yet
    "admin": "admin",  # superuser: sees everything, holds no case-work role
}


def actor_user(org, name: str) -> User:
    return {
        "worker": org.worker,
        "coordinator": org.a.coordinator,
        "mediator": org.a.mediator,
        "inspector": org.a.inspector,
        "supervisor": org.supervisor,
        "other_coordinator": org.b.coordinator,
        "platform_representative": org.representative,
        "admin": org.admin,
    }[name]


def expected_outcome(actor: str, state: str, name: str) -> str:
    role = ACTORS[actor]
    if role is None:
        return "not_found"
    sources, _target = MACHINE[name]
    if state in sources and role in WHO[name]:
        return "done"
    return "refused"


def test_the_tables_cover_every_state_and_transition():
    assert set(MACHINE) == set(RULES) == set(WHO)
    never_left = {"submitted", "merged"}
    assert {s for sources, _ in MACHINE.values() for s in sources} | never_left == set(S.values)
    assert {target for _, target in MACHINE.values()} <= set(S.values)
    assert len(S.values) == 14 and len(RULES) == 16


class _Undo(Exception):
    """Raised at the end of an attempt so its savepoint rolls back, leaving the case as set up."""


def attempt(case: Case, actor: User, name: str) -> tuple[str, list[str]]:
    """Take transition `name` on `case` as `actor`; return the outcome and any problems with
    what was written. The database is rolled back afterwards."""
    problems: list[str] = []
    before = Case.objects.get(pk=case.pk)
    history_before = before.history.count()
    events_before = CaseEvent.objects.filter(case=case).count()
    outcome = ""
    try:
        with transaction.atomic():
            try:
                returned = case_transition(
                    actor=actor, case_id=case.pk, name=name, **INPUTS.get(name, {})
                )
            except CaseNotFound:
                outcome = "not_found"
            except CaseChanged as exc:
                outcome = f"changed: {exc.message}"
            except ActionRefused as exc:
                outcome = "refused"
                if not str(exc.message).strip():
                    problems.append("refused without a message")
            else:
                outcome = "done"
                problems += check_done(before, returned, actor, name)
            if outcome != "done":
                after = Case.objects.get(pk=case.pk)
                if after.state != before.state:
                    problems.append(f"state moved to {after.state} although {outcome}")
                if after.history.count() != history_before:
                    problems.append("a history row was written although nothing changed")
                if CaseEvent.objects.filter(case=case).count() != events_before:
                    problems.append("an event was written although nothing changed")
            raise _Undo
    except _Undo:
        pass
    return outcome, problems


def check_done(before: Case, returned: Case, actor: User, name: str) -> list[str]:
    problems = []
    target = MACHINE[name][1]
    after = Case.objects.get(pk=before.pk)
    if after.state != target or returned.state != target:
        problems.append(f"state is {after.state} (returned {returned.state}), not {target}")
    latest = after.history.order_by("-history_date", "-history_id").first()
    if latest.history_user_id != actor.pk:
        problems.append(f"latest history row by {latest.history_user_id}, not {actor.pk}")
    if not (latest.history_change_reason or "").startswith(name):
        problems.append(f"history reason {latest.history_change_reason!r}")
    if latest.state != target:
        problems.append(f"latest history row has state {latest.state}")
    reason = INPUTS.get(name, {}).get("reason", "")
    if reason and reason not in latest.history_change_reason:
        problems.append(f"history reason {latest.history_change_reason!r} lacks the reason")
    events = CaseEvent.objects.filter(
        case=before,
        kind=EventKind.TRANSITION,
        transition=name,
        from_state=before.state,
        to_state=target,
        actor=actor,
        is_public=True,
    )
    if events.count() != 1:
        problems.append(f"{events.count()} transition events instead of 1")
    elif reason and events.get().reason != reason:
        problems.append(f"event reason {events.get().reason!r}")
    referred = (after.referral_target, after.referral_reference)
    if "referral_reference" in INPUTS.get(name, {}) and referred != ("arbitration", "ARB-1"):
        problems.append(f"referral stored as {after.referral_target} {after.referral_reference}")
    if name == "decline" and after.decline_reason != reason:
        problems.append(f"decline reason stored as {after.decline_reason!r}")
    return problems


# --- 1. The full matrix: 13 states x 15 transitions x 8 actors ------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(MACHINE))
@pytest.mark.parametrize("state", list(S.values))
def test_transition_matrix(org, state, name):
    """Each (state, transition) case is set up once; every actor then tries it in a savepoint
    that is rolled back, so the next actor starts from the same case."""
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    case = put_case_in_state(case, state, org.supervisor)

    expected = {actor: expected_outcome(actor, state, name) for actor in ACTORS}
    actual, problems = {}, {}
    for actor in ACTORS:
        actual[actor], found = attempt(case, actor_user(org, actor), name)
        if found:
            problems[actor] = found
    assert actual == expected
    assert problems == {}


# --- 2. Conditions --------------------------------------------------------------------------


@pytest.fixture
def case_a(org):
    return make_case(worker=org.worker, street=org.a.street, platform=org.platform)


def test_decline_without_a_reason_is_refused_on_the_reason_field(org, case_a):
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="decline", reason="  ")
    assert refused.value.field == "reason"
    assert Case.objects.get(pk=case_a.pk).state == S.SUBMITTED

    case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="decline", reason="超时效")
    case = Case.objects.get(pk=case_a.pk)
    assert (case.state, case.decline_reason) == (S.NOT_ACCEPTED, "超时效")


@pytest.mark.parametrize(
    "referral",
    [
        {},
        {"referral_target": "arbitration"},
        {"referral_target": "arbitration", "referral_reference": "   "},
        {"referral_reference": "ARB-1"},
    ],
    ids=["nothing", "no-reference", "blank-reference", "no-target"],
)
def test_refer_without_where_and_their_reference_is_refused(org, case_a, referral):
    put_case_in_state(case_a, S.VERIFYING, org.supervisor)
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="refer", **referral)
    assert refused.value.field == "referral_reference"
    case = Case.objects.get(pk=case_a.pk)
    assert (case.state, case.referral_target, case.referral_reference) == (S.VERIFYING, "", "")


def test_report_breach_needs_a_reason_and_a_referral(org, case_a):
    put_case_in_state(case_a, S.AGREEMENT_REACHED, org.supervisor)
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.a.mediator, case_id=case_a.pk, name="report_breach", **REFERRAL)
    assert refused.value.field == "reason"
    with pytest.raises(ActionRefused) as refused:
        case_transition(
            actor=org.a.mediator, case_id=case_a.pk, name="report_breach", reason="未付款"
        )
    assert refused.value.field == "referral_reference"
    assert Case.objects.get(pk=case_a.pk).state == S.AGREEMENT_REACHED


def set_verified_amount(case: Case, amount: str) -> None:
    verified_amount_set(
        actor=case.team.memberships.filter(role="coordinator").first().user,
        case_id=case.pk,
        amount=amount,
        period_start=case.period_start,
        period_end=case.period_end,
        reason="核定",
    )


def test_resolve_with_money_outstanding_is_refused_and_names_the_amount(org, case_a):
    put_case_in_state(case_a, S.VERIFYING, org.supervisor)
    set_verified_amount(case_a, "100")
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="resolve")
    assert "100" in refused.value.message
    assert refused.value.field == "waiver"
    case = Case.objects.get(pk=case_a.pk)
    assert (case.state, case.outstanding_waived) == (S.VERIFYING, "")

    waiver = "工人书面放弃剩余100元。"
    case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="resolve", waiver=waiver)
    case = Case.objects.get(pk=case_a.pk)
    assert (case.state, case.outstanding_waived) == (S.RESOLVED, waiver)
    assert case.history.order_by("-history_id").first().outstanding_waived == waiver


def record_payment(case: Case, amount: str, by: User, *, confirm: bool = True) -> Payment:
    """A payment recorded by staff, and confirmed on the worker's phone."""
    payment = payment_record(
        actor=by, case_id=case.pk, amount=amount, paid_on=case.period_end, method="bank"
    )
    if confirm:
        payment_confirm(actor=case.worker, case_id=case.pk, payment_id=payment.pk, received=True)
    return payment


def test_resolve_succeeds_once_payments_cover_the_verified_amount(org, case_a):
    put_case_in_state(case_a, S.VERIFYING, org.supervisor)
    set_verified_amount(case_a, "100")
    record_payment(case_a, "60", org.a.coordinator)
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="resolve")
    assert "40" in refused.value.message

    last = record_payment(case_a, "40", org.a.coordinator, confirm=False)
    with pytest.raises(ActionRefused) as refused:  # paid, but not yet confirmed
        case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="resolve")
    assert "等待劳动者确认" in refused.value.message
    payment_confirm(actor=case_a.worker, case_id=case_a.pk, payment_id=last.pk, received=True)
    case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="resolve")
    case = Case.objects.get(pk=case_a.pk)
    assert (case.state, case.outstanding_waived) == (S.RESOLVED, "")


def test_resolve_after_an_agreement_follows_the_agreed_amount(org, case_a):
    put_case_in_state(case_a, S.AGREEMENT_REACHED, org.supervisor)
    # Verified 100 but agreed 80: once 80 is paid nothing is outstanding.
    set_verified_amount(case_a, "100")
    Case.objects.filter(pk=case_a.pk).update(amount_agreed=Decimal("80"))
    record_payment(case_a, "80", org.a.mediator)
    case_transition(actor=org.a.mediator, case_id=case_a.pk, name="resolve")
    assert Case.objects.get(pk=case_a.pk).state == S.RESOLVED


@pytest.mark.parametrize("state", [S.RESOLVED, S.CLOSED])
def test_only_a_supervisor_reopens(org, case_a, state):
    put_case_in_state(case_a, state, org.supervisor)
    for staff in (org.a.coordinator, org.a.station_coordinator, org.a.mediator, org.a.inspector):
        with pytest.raises(ActionRefused):
            case_transition(actor=staff, case_id=case_a.pk, name="reopen", reason="再查")
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.supervisor, case_id=case_a.pk, name="reopen")
    assert refused.value.field == "reason"
    assert Case.objects.get(pk=case_a.pk).state == state

    case_transition(actor=org.supervisor, case_id=case_a.pk, name="reopen", reason="再查")
    assert Case.objects.get(pk=case_a.pk).state == S.VERIFYING


def test_a_worker_withdraws_without_writing_a_reason_but_staff_must(org, case_a):
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="withdraw")
    assert refused.value.field == "reason"

    case_transition(actor=org.worker, case_id=case_a.pk, name="withdraw")
    assert Case.objects.get(pk=case_a.pk).state == S.WITHDRAWN
    event = CaseEvent.objects.get(case=case_a, transition="withdraw")
    assert event.reason and event.is_public and event.actor == org.worker


def test_the_station_the_case_was_routed_to_can_accept_it(org, case_a):
    assert case_a.team == org.a.station
    case_transition(actor=org.a.station_coordinator, case_id=case_a.pk, name="accept")
    assert Case.objects.get(pk=case_a.pk).state == S.ACCEPTED


def test_an_unknown_transition_is_refused(org, case_a):
    with pytest.raises(ActionRefused):
        case_transition(actor=org.supervisor, case_id=case_a.pk, name="delete")
    with pytest.raises(ActionRefused):
        case_transition(actor=org.supervisor, case_id=case_a.pk, name="save")
    assert Case.objects.get(pk=case_a.pk).state == S.SUBMITTED


# --- 3. Replayed and stale transitions ------------------------------------------------------


def test_accepting_twice_is_refused_the_second_time(org, case_a):
    case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="accept")
    with pytest.raises(ActionRefused) as refused:
        case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="accept")
    assert not isinstance(refused.value, CaseChanged)
    assert Case.objects.get(pk=case_a.pk).state == S.ACCEPTED
    assert CaseEvent.objects.filter(case=case_a, transition="accept").count() == 1
    assert case_a.history.count() == 2


def test_a_stale_page_gets_case_changed(org, case_a):
    case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="accept")
    with pytest.raises(CaseChanged):
        case_transition(
            actor=org.supervisor,
            case_id=case_a.pk,
            name="decline",
            expected_state=S.SUBMITTED,
            reason="重复投诉",
        )
    assert Case.objects.get(pk=case_a.pk).state == S.ACCEPTED
    # The matching expected state goes through.
    case_transition(
        actor=org.a.coordinator,
        case_id=case_a.pk,
        name="start_verification",
        expected_state=S.ACCEPTED,
    )
    assert Case.objects.get(pk=case_a.pk).state == S.VERIFYING


def test_case_changed_names_the_current_state_in_chinese(org, case_a):
    case_transition(actor=org.a.coordinator, case_id=case_a.pk, name="accept")
    with translation.override("zh-hans"), pytest.raises(CaseChanged) as changed:
        case_transition(
            actor=org.a.coordinator,
            case_id=case_a.pk,
            name="decline",
            expected_state=S.SUBMITTED,
            reason="重复投诉",
        )
    assert "已受理" in changed.value.message


# --- 4. Concurrency (PostgreSQL: SQLite serialises whole transactions) ---------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_accept_and_decline_at_the_same_moment_one_wins():
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    coordinator_id, supervisor_id = org.a.coordinator.pk, org.supervisor.pk

    def accept():
        actor = User.objects.get(pk=coordinator_id)
        return case_transition(actor=actor, case_id=case.pk, name="accept").state

    def decline():
        actor = User.objects.get(pk=supervisor_id)
        return case_transition(actor=actor, case_id=case.pk, name="decline", reason="重复").state

    results = run_together([accept, decline])

    winners = [value for ok, value in results if ok]
    losers = [value for ok, value in results if not ok]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], ActionRefused), repr(losers[0])
    final = Case.objects.get(pk=case.pk)
    assert final.state == winners[0]
    assert CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).count() == 1
    assert final.history.count() == 2  # filed + the winning transition


# --- 5. Reference numbers -------------------------------------------------------------------


def test_references_are_sequential_within_the_year(org):
    ReferenceCounter.objects.create(prefix="BJ", year=2025, last=41)
    refs = [
        make_case(worker=org.worker, street=org.a.street).reference,
        make_case(worker=org.other_worker, street=org.b.street).reference,
        make_case(worker=org.worker, street=org.a.street).reference,
    ]
    assert refs == ["BJ-2026-000001", "BJ-2026-000002", "BJ-2026-000003"]


def test_the_year_of_a_reference_is_beijing_time_and_numbering_restarts(org, now_is):
    # 31 December 23:30 in Beijing, then 00:30 on 1 January (still 31 December in UTC).
    refs = []
    for moment in (
        datetime(2026, 12, 31, 15, 30, tzinfo=UTC),
        datetime(2026, 12, 31, 16, 30, tzinfo=UTC),
    ):
        now_is(moment)
        refs.append(make_case(worker=org.worker, street=org.a.street).reference)
    assert refs == ["BJ-2026-000001", "BJ-2027-000001"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_get_distinct_consecutive_numbers():
    org = make_org()
    workers = [make_case_worker(f"工人{i}") for i in range(8)]
    counter = ReferenceCounter.objects.filter(prefix="BJ", year=2026).first()
    start = (counter.last if counter else 0) + 1
    street_id, platform = org.a.street.pk, org.platform

    def filer(worker_id):
        def file():
            worker = User.objects.get(pk=worker_id)
            street = Unit.objects.get(pk=street_id)
            complaint = make_complaint(street=street, platform=platform)
            return case_file(actor=worker, complaint=complaint, channel="online").reference

        return file

    results = run_together([filer(w.pk) for w in workers])
    assert all(ok for ok, _ in results), results
    refs = sorted(value for _, value in results)
    assert refs == [f"BJ-2026-{n:06d}" for n in range(start, start + 8)]
    assert Case.objects.count() == 8


# --- 6. Who sees which case ----------------------------------------------------------------


def test_a_worker_sees_only_their_own_cases(org):
    mine = make_case(worker=org.worker, street=org.a.street)
    theirs = make_case(worker=org.other_worker, street=org.a.street)
    assert case_get_for_user(user=org.worker, case_id=mine.pk).case == mine
    with pytest.raises(CaseNotFound):
        case_get_for_user(user=org.worker, case_id=theirs.pk)
    with pytest.raises(CaseNotFound):
        case_transition(actor=org.worker, case_id=theirs.pk, name="withdraw", reason=REASON)
    assert Case.objects.get(pk=theirs.pk).state == S.SUBMITTED


def test_a_coordinator_of_another_street_gets_not_found(org):
    case = make_case(worker=org.worker, street=org.a.street)
    assert case_get_for_user(user=org.a.coordinator, case_id=case.pk).case == case
    for outsider in (org.b.coordinator, org.b.station_coordinator, org.b.mediator):
        with pytest.raises(CaseNotFound):
            case_get_for_user(user=outsider, case_id=case.pk)
    with pytest.raises(CaseNotFound):
        case_get_for_user(user=org.representative, case_id=case.pk)


def test_the_district_supervisor_sees_both_streets(org):
    in_a = make_case(worker=org.worker, street=org.a.street)
    in_b = make_case(worker=org.other_worker, street=org.b.street)
    for case in (in_a, in_b):
        view = case_get_for_user(user=org.supervisor, case_id=case.pk)
        assert view.case == case
        assert "accept" in [name for name, _ in view.transitions]
    queue = case_queue_for_user(user=org.supervisor, filters=QueueFilters(queue="team"))
    assert {row.pk for row in queue.rows} == {in_a.pk, in_b.pk}


def test_the_team_queue_holds_only_the_own_streets_cases(org):
    in_a = [make_case(worker=org.worker, street=org.a.street) for _ in range(2)]
    in_b = make_case(worker=org.other_worker, street=org.b.street)
    for user, expected in (
        (org.a.coordinator, {c.pk for c in in_a}),
        (org.a.station_coordinator, {c.pk for c in in_a}),
        (org.b.coordinator, {in_b.pk}),
    ):
        for queue in ("team", "all"):
            page = case_queue_for_user(user=user, filters=QueueFilters(queue=queue))
            assert {row.pk for row in page.rows} == expected, (user, queue)
