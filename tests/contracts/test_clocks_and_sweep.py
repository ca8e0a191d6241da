"""The three clocks in calendar days (reply 20, filing 10, review 15, read from the deadline
rules), and the sweep that brings a contract into force when the review period passes
without an objection, and expires contracts after their term."""

from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from casework.clocks.models import DeadlineRule
from casework.core.errors import ActionRefused
from mediation.contracts.choices import ContractState
from mediation.contracts.models import CollectiveContract
from mediation.contracts.services.lifecycle import contract_transition, contracts_sweep
from mediation.contracts.services.terms import contract_create
from tests.contracts.builders import (
    make_contract_org,
    platform_terms,
    put_contract_in_state,
)

S = ContractState


@pytest.fixture
def co(db):
    return make_contract_org()


def _get(pk):
    return CollectiveContract.objects.get(pk=pk)


@pytest.mark.now("2026-03-05T15:00")
def test_reply_is_due_20_calendar_days_after_the_request_rolled_past_a_weekend(co):
    contract = contract_create(
        actor=co.keeper, terms=platform_terms(co.org, request_on=date(2026, 3, 2))
    )
    # 2 March + 20 days = Sunday 22 March: the period ends on Monday 23 March.
    assert contract.reply_due_on == date(2026, 3, 23)


@pytest.mark.now("2026-03-16T15:00")
def test_filing_is_due_10_days_after_signing_and_review_ends_15_days_after_receipt(co):
    contract = put_contract_in_state(
        S.CONGRESS_APPROVED,
        keeper=co.keeper,
        supervisor=co.supervisor,
        org=co.org,
        on=date(2026, 3, 10),
    )
    contract_transition(actor=co.keeper, contract_id=contract.pk, name="sign", on=date(2026, 3, 10))
    assert _get(contract.pk).filing_due_on == date(2026, 3, 20)
    contract_transition(actor=co.keeper, contract_id=contract.pk, name="file", on=date(2026, 3, 16))
    assert _get(contract.pk).review_due_on == date(2026, 3, 31)


@pytest.mark.now("2026-02-02T15:00")
def test_review_period_over_the_spring_festival_ends_on_the_first_working_day(co):
    contract = put_contract_in_state(
        S.FILED, keeper=co.keeper, supervisor=co.supervisor, org=co.org, on=date(2026, 2, 1)
    )
    # 1 February + 15 = 16 February, inside the Spring Festival holiday (15-23 February).
    assert contract.review_due_on == date(2026, 2, 24)


@pytest.mark.now("2026-03-16T15:00")
def test_lengths_come_from_the_deadline_rules(co):
    DeadlineRule.objects.filter(key="CBA_REVIEW").update(length=30)
    contract = put_contract_in_state(
        S.FILED, keeper=co.keeper, supervisor=co.supervisor, org=co.org, on=date(2026, 3, 16)
    )
    assert contract.review_due_on == date(2026, 4, 15)


@pytest.mark.now("2026-03-16T15:00")
def test_no_objection_within_15_days_brings_the_contract_into_force_once(co, now_is):
    contract = put_contract_in_state(
        S.FILED, keeper=co.keeper, supervisor=co.supervisor, org=co.org, on=date(2026, 3, 16)
    )
    history = _get(contract.pk).history.count()

    report = contracts_sweep(now=now_is(date(2026, 3, 31), hour=23))
    assert report.came_into_force == []
    assert _get(contract.pk).state == S.FILED  # the last day of the period is still open

    report = contracts_sweep(now=now_is(date(2026, 4, 1), hour=0))
    assert report.came_into_force == [contract.pk]
    contract = _get(contract.pk)
    assert contract.state == S.IN_FORCE
    assert contract.in_force_on == date(2026, 4, 1)
    assert contract.reviewed_on is None  # in force by silence, not by a decision
    latest = contract.history.order_by("-history_id").first()
    assert latest.history_user.username == settings.ANXIN_SYSTEM_USERNAME
    assert "come_into_force" in latest.history_change_reason

    again = contracts_sweep(now=now_is(date(2026, 4, 2)))
    assert again.came_into_force == [] and again.expired == []
    assert _get(contract.pk).history.count() == history + 1


@pytest.mark.now("2026-03-16T15:00")
def test_an_objection_after_the_review_period_is_too_late(co, now_is):
    contract = put_contract_in_state(
        S.FILED, keeper=co.keeper, supervisor=co.supervisor, org=co.org, on=date(2026, 3, 16)
    )
    now_is(date(2026, 4, 1))
    with pytest.raises(ActionRefused) as refused:
        contract_transition(
            actor=co.supervisor,
            contract_id=contract.pk,
            name="return_with_opinion",
            opinion="第三条需修改。",
        )
    assert "2026-03-31" in refused.value.message
    assert _get(contract.pk).state == S.FILED


@pytest.mark.now("2026-03-16T15:00")
def test_the_sweep_expires_contracts_after_their_term(co, now_is):
    contract = put_contract_in_state(
        S.IN_FORCE,
        keeper=co.keeper,
        supervisor=co.supervisor,
        org=co.org,
        on=date(2026, 3, 16),
        term_start=date(2025, 4, 1),
        term_end=date(2026, 3, 31),
    )
    assert contracts_sweep(now=now_is(date(2026, 3, 31))).expired == []
    report = contracts_sweep(now=now_is(date(2026, 4, 1)))
    assert report.expired == [contract.pk]
    contract = _get(contract.pk)
    assert contract.state == S.EXPIRED
    assert contract.expired_on == date(2026, 4, 1)
    assert contracts_sweep(now=now_is(date(2026, 4, 2))).expired == []


@pytest.mark.now("2026-03-16T15:00")
def test_the_management_command_runs_the_sweep(co, now_is):
    contract = put_contract_in_state(
        S.FILED, keeper=co.keeper, supervisor=co.supervisor, org=co.org, on=date(2026, 3, 16)
    )
    now_is(date(2026, 4, 1))
    out = StringIO()
    call_command("sweep_contracts", stdout=out)
    assert "in force 1" in out.getvalue()
    assert _get(contract.pk).state == S.IN_FORCE


@pytest.mark.now("2026-03-24T15:00")
def test_the_contract_page_shows_each_clock_with_its_due_date_and_overdue_state(co, client):
    contract = contract_create(
        actor=co.keeper, terms=platform_terms(co.org, request_on=date(2026, 3, 2))
    )
    client.force_login(co.keeper)
    page = client.get(reverse("contracts:detail", args=[contract.pk]))
    html = page.content.decode()
    reply = html[html.index('data-clock="CBA_REPLY"') :]
    reply = reply[: reply.index("</li>")]
    assert "data-overdue" in reply
    assert "2026-03-23" in reply
    assert "due-overdue" in reply
    filing = html[html.index('data-clock="CBA_FILING"') :]
    assert "data-overdue" not in filing[: filing.index("</li>")]
