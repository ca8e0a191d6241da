"""Issue 14, mediation: what a new user's walkthrough met, each tested as they met it.

Monday 13 April 2026, 10:00 in Beijing (tests/mediation/conftest.py), unless a test says so.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import Case
from casework.notifications.models import Notification
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent
from mediation.choices import AgreementStatus, SessionStatus, SignatureMethod
from mediation.models import Agreement, MediationSession
from mediation.services.agreements import (
    SignatureInput,
    agreement_draw_up,
    agreement_sign,
    agreement_void,
)
from mediation.services.sessions import SessionPlan, session_cancel, session_schedule
from tests.clock import beijing
from tests.factories.organisation import make_staff
from tests.mediation.conftest import TODAY, hold, schedule, terms_for

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(case) -> str:
    return _client_page_url("mediation:page", "case", case.pk)


def _client_page_url(name, *args) -> str:
    return reverse(name, args=list(args))


def _worker_page(org, case) -> str:
    return _client(org.worker).get(reverse("casework:case_detail", args=[case.pk])).content.decode()


def _sign_all(org, agreement, case):
    for side, case_id in (("worker", case.pk), ("employer", None), ("mediator", None)):
        agreement = agreement_sign(
            actor=org.a.mediator,
            agreement_id=agreement.pk,
            signature=SignatureInput(
                side=side, case_id=case_id, signer_name="签名人", method=SignatureMethod.IN_PERSON
            ),
        )
    return agreement


def _agreement_form(case, **changes) -> dict:
    form = {
        "facts": "申请人2026年3月配送费未结算。",
        "employer_signatory": "王经理",
        "payment_method": "bank",
        "performance_deadline": "2026-05-13",
        f"amount_{case.pk}": "2400",
        "due_1": "2026-04-20",
        "share_1": "100",
    }
    form.update(changes)
    return form


# 1. An agreement rests on a session that was held -----------------------------------------


def test_no_agreement_before_a_session_is_held(org, verifying_case):
    # Given a session that is scheduled but has not taken place
    schedule(org, verifying_case)
    client = _client(org.a.mediator)
    # Then the page offers no agreement form but says what comes first
    page = client.get(_page(verifying_case)).content.decode()
    assert "调解会议召开之后才能起草调解协议书" in page
    assert (
        "draw_up_agreement" not in page
        and 'action="/mediation/case/'
        not in page.split("agreement-waits")[1].split("</section>")[0]
    )
    # and a forged post of the form is refused in words, changing nothing
    response = client.post(
        reverse("mediation:draw_up_agreement", args=["case", verifying_case.pk]),
        _agreement_form(verifying_case),
    )
    assert response.status_code == 400
    assert "调解会议召开之后才能起草调解协议书" in response.content.decode()
    assert not Agreement.objects.exists()


def test_an_agreement_is_drawn_up_on_the_held_session(org, verifying_case):
    schedule(org, verifying_case)  # a later session, not held
    held = hold(org, verifying_case)
    agreement = agreement_draw_up(
        actor=org.a.mediator, terms=terms_for(verifying_case), case_id=verifying_case.pk
    )
    assert agreement.session_id == held.pk


def test_the_held_session_an_agreement_rests_on_cannot_be_cancelled(org, agreement):
    with pytest.raises(Exception, match="调解协议书以本次调解会议为依据，不能取消") as refusal:
        session_cancel(actor=org.a.mediator, session_id=agreement.session_id, reason="误约")
    assert type(refusal.value).__name__ == "ActionRefused"
    assert MediationSession.objects.get(pk=agreement.session_id).status == SessionStatus.HELD


def test_a_held_session_cannot_be_cancelled_over_the_page(org, verifying_case):
    session = hold(org, verifying_case)
    client = _client(org.a.mediator)
    response = client.post(reverse("mediation:cancel", args=[session.pk]), {"reason": "误约"})
    assert response.status_code == 302
    page = client.get(_page(verifying_case)).content.decode()
    assert "本次调解会议已召开并已登记，不能取消。" in page
    assert MediationSession.objects.get(pk=session.pk).status == SessionStatus.HELD


def test_an_older_draft_on_a_session_never_held_cannot_become_binding(org, agreement):
    # An agreement drawn up before this rule, on a session that never took place (as the
    # walkthrough found one): the session row is put back as it was then.
    MediationSession.objects.filter(pk=agreement.session_id).update(status=SessionStatus.SCHEDULED)
    with pytest.raises(Exception, match="没有以已召开的调解会议为依据"):
        _sign_all(org, agreement, agreement.lines.get().case)
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.SIGNING


# 2. Sessions are scheduled for a time to come, and not absurdly far ahead -----------------


@pytest.mark.parametrize(
    ("when", "words"),
    [
        ("2026-04-13T09:30", "已经过去"),  # today, earlier than now (10:00)
        ("2026-04-12T15:00", "已经过去"),  # yesterday
        ("2026-06-13T10:00", "太远了"),  # 61 days ahead
        ("2027-04-13T10:00", "太远了"),  # the year mistyped
    ],
)
def test_a_session_in_the_past_or_far_ahead_is_refused_and_nobody_is_texted(
    org, verifying_case, sms_outbox, django_capture_on_commit_callbacks, when, words
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(org.a.mediator).post(
            reverse("mediation:schedule", args=["case", verifying_case.pk]),
            {"scheduled_at": when, "place": "东城街道调解室", "mediator": org.a.mediator.pk},
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page, "the mediator should read why the time was refused"
    assert f'value="{when}"' in page, "the time typed stays in the form"
    assert not MediationSession.objects.exists()
    assert not sms_outbox, "nobody is texted about a session that was refused"
    assert not Notification.objects.filter(case=verifying_case, kind="mediation_scheduled").exists()


def test_a_session_later_today_and_on_the_last_day_are_accepted(org, verifying_case):
    schedule(org, verifying_case, scheduled_at=beijing("2026-04-13T10:30"))
    schedule(org, verifying_case, scheduled_at=beijing("2026-06-12T09:00"))  # day 60
    assert MediationSession.objects.count() == 2


# 3. The mediator field ---------------------------------------------------------------------


def _selected_mediator(page: str) -> str | None:
    select = re.search(r'<select name="mediator".*?</select>', page, re.S).group(0)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return chosen.group(1) if chosen else None


def test_the_signed_in_mediator_is_the_default_mediator(org, verifying_case):
    # Given a colleague whose name sorts first (the walkthrough's sessions went to them)
    colleague = make_staff(role="mediator", team=org.a.mediators, display_name="一号调解员")
    page = _client(org.a.mediator).get(_page(verifying_case)).content.decode()
    assert _selected_mediator(page) == str(org.a.mediator.pk)
    assert f'value="{colleague.pk}"' in page, "the colleague can still be chosen"
    # and a coordinator (no mediator) has to choose: nobody is chosen for them
    page = _client(org.a.coordinator).get(_page(verifying_case)).content.decode()
    assert _selected_mediator(page) in (None, "")
    assert "请选择调解员" in page
    # and only mediators who may mediate the case are offered
    assert f'value="{org.b.mediator.pk}"' not in page


def test_a_forged_mediator_is_refused(org, verifying_case):
    for forged in (org.b.mediator.pk, org.a.coordinator.pk, org.worker.pk):
        response = _client(org.a.mediator).post(
            reverse("mediation:schedule", args=["case", verifying_case.pk]),
            {"scheduled_at": "2026-04-16T10:00", "place": "东城", "mediator": forged},
        )
        assert response.status_code == 400
    assert not MediationSession.objects.exists()


# 4. Voiding a draft: who, when, why, in the timeline and the history -----------------------


def test_voiding_tells_the_worker_which_draft_and_why(org, verifying_case, agreement):
    agreement_void(actor=org.a.mediator, agreement_id=agreement.pk, reason="金额需重新协商")
    event = CaseEvent.objects.get(case=verifying_case, kind=EventKind.AGREEMENT_VOIDED)
    assert event.is_public and event.actor == org.a.mediator
    assert event.reason == "金额需重新协商"
    history = agreement.history.order_by("-history_date", "-history_id").first()
    assert history.status == "void" and history.history_user == org.a.mediator
    assert "金额需重新协商" in history.history_change_reason
    voided = Agreement.objects.get(pk=agreement.pk)
    assert voided.voided_by == org.a.mediator
    assert abs(voided.voided_at - history.history_date) < timedelta(seconds=1)

    # A second draft: the worker sees one draft to read and one voided, with the reason
    agreement_draw_up(
        actor=org.a.mediator,
        terms=terms_for(verifying_case, amounts={verifying_case.pk: Decimal("2600")}),
        case_id=verifying_case.pk,
    )
    page = _worker_page(org, verifying_case)
    assert "2026-04-13 起草的调解协议草案（¥2,400.00）已作废，对任何一方都没有约束力" in page
    assert "金额需重新协商" in page
    assert page.count('data-testid="voided-agreement"') == 1
    assert page.count("您的调解协议书（待签字）") == 1, "one live draft, not two"
    # and the mediation page says who voided it and when
    staff = _client(org.a.mediator).get(_page(verifying_case)).content.decode()
    assert "2026-04-13 10:00 · 调解员: 金额需重新协商" in staff


# 5. An agreed amount above the claim -------------------------------------------------------


def test_an_amount_above_the_claim_waits_for_the_mediators_confirmation(org, verifying_case):
    hold(org, verifying_case)
    client = _client(org.a.mediator)
    url = reverse("mediation:draw_up_agreement", args=["case", verifying_case.pk])
    # The worker claimed ¥3000.00; ¥3500 is typed
    response = client.post(
        url, _agreement_form(verifying_case, **{f"amount_{verifying_case.pk}": "3500"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "约定金额高于劳动者申请或核实的金额" in page and "申请 ¥3,000.00" in page
    assert "我已核实" in page and 'name="above_claim_confirmed"' in page
    assert not Agreement.objects.exists()
    # Confirmed: drawn up, and the confirmation is kept with the agreement
    response = client.post(
        url,
        _agreement_form(
            verifying_case,
            **{f"amount_{verifying_case.pk}": "3500", "above_claim_confirmed": "on"},
        ),
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.above_claim_confirmed == {
        str(verifying_case.pk): {"agreed": "3500.00", "claimed": "3000.00"}
    }
    assert (
        "调解员已确认高于申请金额的约定金额无误"
        in client.get(_page(verifying_case)).content.decode()
    )


def test_the_verified_amount_is_the_one_compared_when_set(org, verifying_case):
    Case.objects.filter(pk=verifying_case.pk).update(amount_verified=Decimal("2000.00"))
    hold(org, verifying_case)
    with pytest.raises(Exception, match=r"核实 ¥2,000\.00") as refusal:
        agreement_draw_up(
            actor=org.a.mediator, terms=terms_for(verifying_case), case_id=verifying_case.pk
        )
    assert refusal.value.field == "above_claim_confirmed"


@pytest.mark.parametrize("amount", ["-100", "0", "30001", "99999999999"])
def test_a_negative_or_absurd_amount_is_refused(org, verifying_case, amount):
    hold(org, verifying_case)
    response = _client(org.a.mediator).post(
        reverse("mediation:draw_up_agreement", args=["case", verifying_case.pk]),
        _agreement_form(
            verifying_case, **{f"amount_{verifying_case.pk}": amount, "above_claim_confirmed": "on"}
        ),
    )
    assert response.status_code == 400
    assert "field-errors" in response.content.decode()
    assert not Agreement.objects.exists()


# 6. Cancelling texts the worker; an online session's text links to their page --------------


def test_cancelling_a_session_texts_the_worker_with_the_reason(
    org, verifying_case, sms_outbox, django_capture_on_commit_callbacks
):
    session = schedule(org, verifying_case, scheduled_at=beijing("2026-04-15T10:00"))
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _client(org.a.mediator).post(
            reverse("mediation:cancel", args=[session.pk]), {"reason": "调解员临时出差"}
        )
    assert MediationSession.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    (text,) = [m for m in sms_outbox if m.to == org.worker.mobile]
    assert "2026-04-15 10:00" in text.body and "已取消" in text.body
    assert "调解员临时出差" in text.body
    assert settings.ANXIN_SITE_URL + f"/cases/{verifying_case.pk}/" in text.body
    assert Notification.objects.filter(case=verifying_case, kind="mediation_cancelled").exists()


def test_an_online_sessions_text_links_to_the_page_with_the_joining_link(
    org, verifying_case, sms_outbox, django_capture_on_commit_callbacks
):
    link = "https://meeting.example.com/j/123"
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(
            actor=org.a.mediator,
            plan=SessionPlan(
                scheduled_at=beijing("2026-04-15T14:00"), mediator=org.a.mediator, online_link=link
            ),
            case_id=verifying_case.pk,
        )
    (text,) = [m for m in sms_outbox if m.to == org.worker.mobile and "调解安排" in m.body]
    page_url = settings.ANXIN_SITE_URL + reverse("casework:case_detail", args=[verifying_case.pk])
    assert "线上" in text.body and page_url in text.body
    # The page the text links to shows the session and the link to join it
    page = _worker_page(org, verifying_case)
    assert "2026-04-15 14:00" in page and f'href="{link}"' in page and "参加线上调解" in page


# 7. After binding, the worker page says what is now true -----------------------------------


def test_after_binding_the_worker_page_says_binding_since_and_what_next(
    org, verifying_case, agreement
):
    before = _worker_page(org, verifying_case)
    assert "签字前请仔细阅读" in before
    _sign_all(org, agreement, verifying_case)
    page = _worker_page(org, verifying_case)
    assert "签字前请仔细阅读" not in page, "the agreement is signed: nothing left to read first"
    assert "您的调解协议书已生效" in page and "自 2026-04-13 起生效" in page
    assert "2026-04-20: ¥1,200.00" in page and "2026-05-04: ¥1,200.00" in page
    assert "支付令" in page and "下载" in page
    assert timezone.localdate() == TODAY


def test_a_long_cancellation_reason_is_kept_whole_on_the_timeline(org, verifying_case):
    session = schedule(org, verifying_case)
    reason = "调解员临时出差，" * 40  # 320 characters; the history row keeps the first 100
    session_cancel(actor=org.a.mediator, session_id=session.pk, reason=reason)
    event = CaseEvent.objects.get(case=verifying_case, kind=EventKind.MEDIATION_CANCELLED)
    assert event.reason == reason.strip()
