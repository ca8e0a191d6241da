"""Which endpoints hear of which case, and what they are told: a platform of its own and its
operators' cases, an operator of its own only, never one platform of another's."""

from datetime import date

import pytest

from casework.cases.choices import CaseState
from casework.cases.services.handling import case_add_note
from casework.clocks.sweep import sweep_deadlines
from mediation.choices import SignatureMethod
from mediation.services.agreements import SignatureInput, agreement_draw_up, agreement_sign
from platforms.webhooks.choices import DeliveryStatus, EventType
from platforms.webhooks.models import Delivery
from tests.clock import beijing
from tests.factories.cases import put_case_in_state
from tests.mediation.conftest import hold, terms_for
from tests.platforms.webhooks.helpers import file_case, payloads, register, sample_verifier

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07T10:00+08:00")]


def test_a_platform_hears_of_its_operators_cases_and_never_of_a_rivals(
    chains, receiver, allow_private, django_capture_on_commit_callbacks
):
    org = chains.org
    register(org.representative, org.platform, receiver.url("/platform"))
    register(chains.operator_rep, org.operator, receiver.url("/operator"))
    register(chains.rival_rep, chains.rival, receiver.url("/rival"))
    with django_capture_on_commit_callbacks(execute=True):
        on_operator = file_case(org, org.platform, org.operator)
        on_platform = file_case(org, org.platform)
        on_rival = file_case(org, chains.rival)
        for case in (on_operator, on_platform, on_rival):
            put_case_in_state(case, CaseState.ACCEPTED, org.supervisor)

    def heard(path):
        return sorted(p["data"]["case"]["reference"] for p in payloads(receiver, path))

    assert heard("/platform") == sorted([on_operator.reference, on_platform.reference])
    assert heard("/operator") == [on_operator.reference]
    assert heard("/rival") == [on_rival.reference]
    assert {p["type"] for p in payloads(receiver)} == {EventType.CASE_NAMED}
    rival_deliveries = Delivery.objects.filter(endpoint__company=chains.rival)
    assert set(rival_deliveries.values_list("event__case_id", flat=True)) == {on_rival.pk}


def test_a_complaint_not_taken_up_is_not_sent(
    chains, receiver, allow_private, django_capture_on_commit_callbacks
):
    org = chains.org
    register(org.representative, org.platform, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        put_case_in_state(file_case(org, org.platform), CaseState.NOT_ACCEPTED, org.supervisor)
    assert receiver.requests == []


def test_only_the_events_chosen_are_sent(
    chains, receiver, allow_private, django_capture_on_commit_callbacks
):
    org = chains.org
    register(org.representative, org.platform, receiver.url(), [EventType.RESPONSE_REQUESTED])
    with django_capture_on_commit_callbacks(execute=True):
        case = put_case_in_state(
            file_case(org, org.platform), CaseState.AWAITING_RESPONSE, org.supervisor
        )
    [payload] = payloads(receiver)
    assert payload["type"] == "case.response_requested"
    # 3 working days from Monday 7 December 2026
    assert payload["data"]["case"]["response_due"] == "2026-12-10"
    assert payload["data"]["case"]["id"] == case.pk


def test_the_payload_masks_the_worker_and_keeps_the_bureaus_notes(
    chains, receiver, allow_private, django_capture_on_commit_callbacks
):
    org = chains.org
    _endpoint, secret = register(org.representative, org.platform, receiver.url())
    case = file_case(
        org, org.platform, description="我的电话13812348000，身份证330106199001011234。"
    )
    case_add_note(
        actor=org.supervisor, case_id=case.pk, body="内部：企业曾有欠薪记录", is_public=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        put_case_in_state(case, CaseState.ACCEPTED, org.supervisor)
    [request] = receiver.requests
    text = request.body.decode()
    summary = payloads(receiver)[0]["data"]["case"]
    assert summary["worker"]["name"] == "张**"
    assert summary["worker"]["mobile"].count("*") == 4
    assert summary["reference"] == case.reference and summary["state"] == "accepted"
    assert summary["amounts"] == {
        "currency": "CNY",
        "claimed": "3000.00",
        "verified": None,
        "agreed": None,
    }
    assert summary["portal_url"].endswith(f"/platform/cases/{case.pk}/")
    assert summary["api_url"].endswith(f"/api/v1/cases/{case.pk}/")
    for secret_word in ("张小明", "13812348000", "330106199001011234", "内部", org.worker.mobile):
        assert secret_word not in text
    assert request.headers["Anxin-Event-Type"] == "case.named"
    assert sample_verifier()(secret, request.body, request.headers["Anxin-Signature"])


def test_a_day_before_the_response_is_due_the_platform_is_reminded(
    chains, receiver, allow_private, django_capture_on_commit_callbacks, now_is
):
    org = chains.org
    register(org.representative, org.platform, receiver.url(), [EventType.RESPONSE_DUE_SOON])
    put_case_in_state(file_case(org, org.platform), CaseState.AWAITING_RESPONSE, org.supervisor)
    now_is(date(2026, 12, 8), hour=9)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines(now=beijing(date(2026, 12, 8), 9))
    assert receiver.requests == []  # due Thursday: Tuesday is too early
    now_is(date(2026, 12, 9), hour=9)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines(now=beijing(date(2026, 12, 9), 9))
        sweep_deadlines(now=beijing(date(2026, 12, 9), 9, 5))  # warned once
    [payload] = payloads(receiver)
    assert payload["type"] == "case.response_due_soon"
    assert payload["data"]["case"]["response_due"] == "2026-12-10"


def test_a_binding_agreement_is_announced_once_every_party_signed(
    chains, receiver, allow_private, django_capture_on_commit_callbacks
):
    org = chains.org
    register(org.representative, org.platform, receiver.url(), [EventType.AGREEMENT_BINDING])
    case = put_case_in_state(file_case(org, org.platform), CaseState.VERIFYING, org.supervisor)
    hold(org, case)
    with django_capture_on_commit_callbacks(execute=True):
        agreement = agreement_draw_up(actor=org.a.mediator, terms=terms_for(case), case_id=case.pk)
    for side, case_id in (("worker", case.pk), ("employer", None), ("mediator", None)):
        assert receiver.requests == []
        with django_capture_on_commit_callbacks(execute=True):
            agreement_sign(
                actor=org.a.mediator,
                agreement_id=agreement.pk,
                signature=SignatureInput(
                    side=side,
                    case_id=case_id,
                    signer_name="签名人",
                    method=SignatureMethod.IN_PERSON,
                ),
            )
    [payload] = payloads(receiver)
    assert payload["type"] == "agreement.binding"
    assert payload["data"]["case"]["amounts"]["agreed"] == "2400.00"
    assert Delivery.objects.get().status == DeliveryStatus.SUCCEEDED


def test_a_step_that_rolls_back_sends_nothing(
    chains, receiver, allow_private, django_capture_on_commit_callbacks
):
    from django.db import transaction

    org = chains.org
    register(org.representative, org.platform, receiver.url())
    case = file_case(org, org.platform)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        put_case_in_state(case, CaseState.ACCEPTED, org.supervisor)
        raise RuntimeError("the database refused the rest of the step")
    assert receiver.requests == [] and not Delivery.objects.exists()


def test_a_missed_instalment_is_sent_as_instalment_due_once(
    chains, receiver, allow_private, django_capture_on_commit_callbacks, now_is
):
    from arrears.services.enforcement import ledger_sweep
    from tests.arrears.ledger_helpers import binding_agreement, verify, verifying_case

    org = chains.org
    register(org.representative, org.platform, receiver.url(), events=[EventType.INSTALMENT_DUE])
    register(chains.rival_rep, chains.rival, receiver.url("/rival"))
    case = verifying_case(org)
    verify(org, case, "1000.00")
    binding_agreement(org, case, "1000.00", [(7, "40"), (21, "60")])
    now_is("2026-12-15", hour=9)  # the first (400.00, due 14 December) passed unpaid
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger_sweep().instalments_missed == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger_sweep().instalments_missed == 0  # flagged once, sent once
    (sent,) = payloads(receiver)
    assert sent["type"] == "instalment.due"
    assert sent["data"]["case"]["reference"] == case.reference
    missed = sent["data"]["instalment"]
    assert (missed["due_on"], missed["unpaid"], missed["missed"]) == ("2026-12-14", "400.00", True)
    assert payloads(receiver, "/rival") == []
