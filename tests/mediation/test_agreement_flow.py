"""From scheduling a session to a binding agreement, through the services."""

import importlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from casework.audit.protection import maintenance
from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.clocks.models import Deadline
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.uploads import check_evidence_file
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent
from mediation.choices import AgreementStatus, SessionOutcome, SignatureMethod
from mediation.documents.choices import DocumentStatus
from mediation.models import Document, Instalment
from mediation.services.agreements import (
    SignatureInput,
    agreement_draw_up,
    agreement_sign,
    agreement_void,
    split_by_schedule,
)
from mediation.services.sessions import SessionPlan, SessionRecord, session_record, session_schedule
from tests.clock import beijing
from tests.mediation.conftest import TODAY, hold, schedule, terms_for

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]


def test_scheduling_starts_mediation_and_its_clock_and_tells_the_worker(
    org, verifying_case, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = schedule(org, verifying_case, scheduled_at=beijing("2026-04-15T10:00"))

    case = Case.objects.get(pk=verifying_case.pk)
    assert case.state == CaseState.MEDIATING
    clock = Deadline.objects.get(case=case, rule__key="MEDIATION")
    assert clock.status == "running"
    # 15 calendar days from Monday 13 April end on Tuesday 28 April, a working day
    assert (clock.started_on, clock.due_on) == (date(2026, 4, 13), date(2026, 4, 28))
    sides = sorted(p.side for p in session.participants.all())
    assert sides == ["employer", "mediator", "worker"]
    event = CaseEvent.objects.filter(case=case, kind=EventKind.MEDIATION_SCHEDULED).get()
    # the session was set two days ahead (tests/mediation/conftest.py: schedule)
    assert event.is_public and event.reason == "2026-04-15 10:00 · 东城街道调解室"
    assert any("东城街道调解室" in message.body for message in sms_outbox)


def test_a_session_by_meeting_link_reads_online_in_the_readers_language(
    org, verifying_case, client
):
    # Given a session by meeting link, scheduled by a mediator reading in English
    with translation.override("en"):
        schedule(org, verifying_case, place="", online_link="https://meeting.example.com/1")
    event = CaseEvent.objects.get(case=verifying_case, kind=EventKind.MEDIATION_SCHEDULED)
    # When a Chinese reader opens the case, then the timeline says 线上
    client.force_login(org.a.coordinator)
    url = reverse("casework:case_detail", args=[verifying_case.pk])
    page = client.get(url).content.decode()
    assert f"{event.reason} · 线上" in page, "a Chinese reader saw the scheduler's English word"
    assert "· online" not in page
    # and an English reader reads "online"
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert f"{event.reason} · online" in page and "线上" not in page
    # and the worker's notification, written while English was active, reads 线上 for them
    from casework.notifications.models import Notification
    from casework.notifications.rendering import render_for

    notice = Notification.objects.get(case=verifying_case, kind="mediation_scheduled")
    assert render_for(notice, verifying_case.worker).endswith("，线上。"), notice.params


def test_the_migration_drops_the_stored_online_word(org, verifying_case):
    migration = importlib.import_module(
        "casework.migrations.0015_online_sessions_in_readers_language"
    )
    session = schedule(org, verifying_case)
    event = CaseEvent.objects.get(case=verifying_case, kind=EventKind.MEDIATION_SCHEDULED)
    written = {"2026-03-02 10:00 · 线上", "2026-03-03 10:00 · online", "2026-03-04 10:00 · 东城"}
    for text in written - {event.reason}:
        CaseEvent.objects.create(
            case=verifying_case, kind=EventKind.MEDIATION_SCHEDULED, reason=text, is_public=True
        )
    with maintenance():  # timeline rows are append-only on PostgreSQL (casework.audit)
        migration.drop_the_online_word(django_apps, None)
    reasons = set(
        CaseEvent.objects.filter(
            case=verifying_case, kind=EventKind.MEDIATION_SCHEDULED
        ).values_list("reason", flat=True)
    )
    assert reasons == {
        "2026-03-02 10:00",
        "2026-03-03 10:00",
        "2026-03-04 10:00 · 东城",
        event.reason,
    }
    assert session.place in event.reason
    with translation.override("en"):
        headlines = {
            e.headline
            for e in CaseEvent.objects.filter(reason__in=["2026-03-02 10:00", "2026-03-03 10:00"])
        }
    assert headlines == {
        "Mediation session scheduled: 2026-03-02 10:00 · online",
        "Mediation session scheduled: 2026-03-03 10:00 · online",
    }


def test_staff_of_another_street_cannot_schedule(org, verifying_case):
    plan = SessionPlan(
        scheduled_at=timezone.now() + timedelta(days=1), mediator=org.b.mediator, place="西城"
    )
    with pytest.raises(CaseNotFound):
        session_schedule(actor=org.b.mediator, plan=plan, case_id=verifying_case.pk)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"place": "", "online_link": ""}, "place"),
        ({"online_link": "http://meeting.example.com/1", "place": ""}, "online_link"),
        # more than 180 days ahead of 13 April 2026
        ({"scheduled_at": beijing("2026-10-13T10:00")}, "scheduled_at"),
    ],
)
def test_a_bad_session_plan_is_refused_and_changes_nothing(org, verifying_case, changes, field):
    with pytest.raises(ActionRefused) as refusal:
        schedule(org, verifying_case, **changes)
    assert refusal.value.field == field
    assert Case.objects.get(pk=verifying_case.pk).state == CaseState.VERIFYING


def test_only_a_mediator_of_the_case_can_be_chosen(org, verifying_case):
    with pytest.raises(ActionRefused) as refusal:
        schedule(org, verifying_case, mediator=org.b.mediator)
    assert refusal.value.field == "mediator"


def test_recording_no_agreement_with_a_reason_ends_mediation(org, verifying_case):
    session = schedule(org, verifying_case, scheduled_at=timezone.now() + timedelta(minutes=30))
    worker = session.participants.get(side="worker")
    session_record(
        actor=org.a.mediator,
        session_id=session.pk,
        record=SessionRecord(
            minutes="双方对金额分歧较大。",
            outcome=SessionOutcome.NO_AGREEMENT,
            attended_ids={worker.pk},
            end_mediation_reason="被申请人拒绝支付。",
        ),
    )
    assert Case.objects.get(pk=verifying_case.pk).state == CaseState.MEDIATION_FAILED
    worker.refresh_from_db()
    assert worker.attended is True
    assert session.participants.get(side="employer").attended is False
    with pytest.raises(ActionRefused):  # replayed
        session_record(
            actor=org.a.mediator,
            session_id=session.pk,
            record=SessionRecord(minutes="x", outcome=SessionOutcome.AGREEMENT, attended_ids=set()),
        )


def test_a_held_sessions_outcome_reads_in_the_readers_language(org, verifying_case, client):
    session = schedule(org, verifying_case, scheduled_at=timezone.now() + timedelta(minutes=30))
    with translation.override("en"):  # recorded by a mediator reading English
        session_record(
            actor=org.a.mediator,
            session_id=session.pk,
            record=SessionRecord(
                minutes="下次补充证据。", outcome=SessionOutcome.ADJOURNED, attended_ids=set()
            ),
        )
    held = CaseEvent.objects.get(case=verifying_case, kind=EventKind.MEDIATION_HELD)
    adjourned = SessionOutcome.ADJOURNED.label
    with translation.override("zh-hans"):
        assert held.headline.endswith(f": {adjourned}") and "Adjourned" not in held.headline
    with translation.override("en"):
        assert held.headline.endswith(": Adjourned: another session is needed")
    client.force_login(org.a.coordinator)
    page = client.get(reverse("casework:case_detail", args=[verifying_case.pk])).content.decode()
    assert str(adjourned) in page and ">adjourned<" not in page, "never the stored key"


def test_the_migration_turns_stored_outcome_words_into_keys(org, verifying_case):
    migration = importlib.import_module("mediation.migrations.0002_held_session_outcome_keys")
    with translation.override("zh-hans"):
        chinese = str(SessionOutcome.NO_AGREEMENT.label)
    for words in (chinese, "Agreement reached", "会后双方另行协商"):
        CaseEvent.objects.create(
            case=verifying_case, kind=EventKind.MEDIATION_HELD, reason=words, is_public=True
        )
    with maintenance():  # timeline rows are append-only on PostgreSQL (casework.audit)
        migration.outcome_keys(django_apps, None)
    reasons = set(
        CaseEvent.objects.filter(case=verifying_case, kind=EventKind.MEDIATION_HELD).values_list(
            "reason", flat=True
        )
    )
    assert reasons == {"no_agreement", "agreement", "会后双方另行协商"}


def test_a_future_session_cannot_be_recorded_as_held(org, verifying_case):
    session = schedule(org, verifying_case)
    with pytest.raises(ActionRefused):
        session_record(
            actor=org.a.mediator,
            session_id=session.pk,
            record=SessionRecord(minutes="x", outcome=SessionOutcome.AGREEMENT, attended_ids=set()),
        )


def test_drawing_up_splits_the_schedule_to_the_cent_and_renders_the_pdf(agreement):
    line = agreement.lines.get()
    assert [i.amount for i in line.instalments.all()] == [Decimal("1200.00"), Decimal("1200.00")]
    document = Document.objects.get(object_id=agreement.pk, kind="agreement")
    assert document.status == DocumentStatus.READY
    assert document.pages >= 1 and len(document.sha256) == 64
    assert document.file.read()[:5] == b"%PDF-"


def test_split_gives_the_rounding_to_the_last_payment():
    parts = split_by_schedule(
        Decimal("100.00"), [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    )
    assert parts == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(split_by_schedule(Decimal("1000.01"), [Decimal("30"), Decimal("70")])) == Decimal(
        "1000.01"
    )


def test_an_amount_too_small_to_split_is_refused_in_money_words():
    with pytest.raises(ActionRefused) as refusal:
        split_by_schedule(Decimal("0.02"), [Decimal("50"), Decimal("25"), Decimal("25")])
    assert "¥0.02" in refusal.value.message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amounts": {}}, "amounts"),
        ({"amounts": "forged"}, "amounts"),
        ({"amounts": {"neg": Decimal("-5")}}, "amounts"),
        ({"amounts": {"big": Decimal("99999999999")}}, "amounts"),
        ({"amounts": {"frac": Decimal("10.001")}}, "amounts"),
        ({"schedule": []}, "schedule"),
        ({"schedule": "short"}, "schedule"),
        ({"schedule": "late"}, "schedule"),
        ({"facts": "  "}, "facts"),
        ({"payment_method": "bitcoin"}, "payment_method"),
        ({"performance_deadline": "past"}, "performance_deadline"),
    ],
)
def test_bad_terms_are_refused_and_change_nothing(org, verifying_case, changes, field):
    hold(org, verifying_case)
    today = timezone.localdate()
    amounts = changes.get("amounts")
    if amounts == "forged":
        changes["amounts"] = {
            verifying_case.pk: Decimal("100"),
            verifying_case.pk + 999: Decimal("100"),
        }
    elif isinstance(amounts, dict) and amounts:
        changes["amounts"] = {verifying_case.pk: next(iter(amounts.values()))}
    if changes.get("schedule") == "short":
        changes["schedule"] = [(today + timedelta(days=3), Decimal("60"))]
    if changes.get("schedule") == "late":
        changes["schedule"] = [(today + timedelta(days=90), Decimal("100"))]
    if changes.get("performance_deadline") == "past":
        changes["performance_deadline"] = today - timedelta(days=1)
    with pytest.raises(ActionRefused) as refusal:
        agreement_draw_up(
            actor=org.a.mediator,
            terms=terms_for(verifying_case, **changes),
            case_id=verifying_case.pk,
        )
    assert refusal.value.field == field
    assert not verifying_case.agreement_lines.exists()


def test_a_coordinator_may_not_draw_up_an_agreement(org, verifying_case):
    hold(org, verifying_case)
    with pytest.raises(ActionRefused):
        agreement_draw_up(
            actor=org.a.coordinator, terms=terms_for(verifying_case), case_id=verifying_case.pk
        )


def _sign(org, agreement, side, case_id=None, **changes):
    signature = SignatureInput(
        side=side,
        case_id=case_id,
        signer_name=changes.pop("signer_name", "签名人"),
        method=changes.pop("method", SignatureMethod.IN_PERSON),
        **changes,
    )
    return agreement_sign(actor=org.a.mediator, agreement_id=agreement.pk, signature=signature)


def test_the_last_signature_makes_it_binding_and_the_case_reaches_agreement(
    org, agreement, verifying_case
):
    scan = check_evidence_file(
        SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n% signed copy\n%%EOF\n")
    )
    _sign(org, agreement, "worker", verifying_case.pk, signer_name="张师傅")
    _sign(org, agreement, "employer", signer_name="王经理", method=SignatureMethod.SCAN, scan=scan)
    assert Case.objects.get(pk=verifying_case.pk).state == CaseState.MEDIATING

    agreement = _sign(org, agreement, "mediator", signer_name="调解员")

    assert agreement.status == AgreementStatus.BINDING
    case = Case.objects.get(pk=verifying_case.pk)
    assert case.state == CaseState.AGREEMENT_REACHED
    assert case.amount_agreed == Decimal("2400.00")
    assert not Deadline.objects.filter(case=case, rule__key="MEDIATION", status="running").exists()
    assert Instalment.objects.filter(line__case=case).count() == 2
    assert CaseEvent.objects.filter(case=case, kind=EventKind.AGREEMENT_SIGNED).exists()


def test_a_party_signs_once_and_a_binding_agreement_takes_no_more(org, agreement, verifying_case):
    _sign(org, agreement, "worker", verifying_case.pk)
    with pytest.raises(ActionRefused, match="已签字"):
        _sign(org, agreement, "worker", verifying_case.pk)
    with pytest.raises(ActionRefused):
        _sign(org, agreement, "worker", verifying_case.pk + 1000)  # not a party
    with pytest.raises(ActionRefused):
        _sign(org, agreement, "employer", method=SignatureMethod.SCAN)  # no file
    _sign(org, agreement, "employer")
    _sign(org, agreement, "mediator")
    with pytest.raises(ActionRefused):
        agreement_void(actor=org.a.mediator, agreement_id=agreement.pk, reason="x")


def test_a_second_agreement_waits_until_the_first_is_voided(org, agreement, verifying_case):
    with pytest.raises(ActionRefused):
        agreement_draw_up(
            actor=org.a.mediator, terms=terms_for(verifying_case), case_id=verifying_case.pk
        )
    agreement_void(actor=org.a.mediator, agreement_id=agreement.pk, reason="金额需重新协商")
    again = agreement_draw_up(
        actor=org.a.mediator,
        terms=terms_for(verifying_case, amounts={verifying_case.pk: Decimal("2600")}),
        case_id=verifying_case.pk,
    )
    assert again.total == Decimal("2600.00")
