"""Every notification (and every text message) leads its reader to a page they can open, or
carries no link; opening one marks it read; assignment, public notes and declines tell the
person concerned."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from casework.cases.services.handling import case_assign, case_claim
from casework.notifications.models import Notification, NotificationKind
from casework.notifications.rendering import notification_link, sms_text
from casework.notifications.services import notify
from tests.factories.cases import REASON, make_case, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]

OPEN_LINK = re.compile(r'href="(/notifications/(\d+)/open/)"')
SMS_LINK = re.compile(r"https?://\S+")


@pytest.fixture
def org():
    return make_org()


def readers(org) -> dict:
    """Everyone a notification about a case of street A may be sent to, by role."""
    return {
        "the worker": org.worker,
        "another worker": org.other_worker,
        "the station coordinator": org.a.station_coordinator,
        "the street's coordinator": org.a.coordinator,
        "the street's mediator": org.a.mediator,
        "the street's inspection assistant": org.a.inspector,
        "another street's coordinator": org.b.coordinator,
        "the supervisor": org.supervisor,
        "the administrator": org.admin,
        "the platform representative": org.representative,
    }


def test_every_kind_for_every_reader_links_to_a_page_they_can_open_or_has_no_link(client, org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    people = readers(org)
    for kind in NotificationKind.values:
        notify(recipients=people.values(), kind=kind, case=case, params={"team": "测试队伍"})
    case_url = reverse("casework:case_detail", args=[case.pk])
    for role, user in people.items():
        client.force_login(user)
        can_open_case = client.get(case_url).status_code == 200
        inbox = client.get(reverse("casework:inbox")).content.decode()
        linked = {int(pk): url for url, pk in OPEN_LINK.findall(inbox)}
        since = client.get(reverse("casework:inbox_since")).json()["notifications"]
        rows = Notification.objects.filter(recipient=user, case=case)
        assert rows.count() >= len(NotificationKind.values)
        for row in rows:
            link = notification_link(row, user)
            said = f"{role} got a “{row.get_kind_display()}” notification"
            if not can_open_case:
                assert link is None and row.pk not in linked, f"{said} linking to a 404"
                assert not SMS_LINK.search(sms_text(row, user)), f"{said} texted with a 404 link"
                assert all(n["url"] is None for n in since if n["id"] == row.pk)
                continue
            assert linked.get(row.pk) == link, f"{said} without a link in the inbox"
            assert [n["url"] for n in since if n["id"] == row.pk] == [link]
            response = client.get(link, follow=True)
            assert response.status_code == 200, f"{said} whose link answers {response.status_code}"
            assert response.redirect_chain[-1][0] == case_url
            row.refresh_from_db()
            assert row.read_at is not None, f"{said}: opening it did not mark it read"
            (address,) = SMS_LINK.findall(sms_text(row, user))
            page = client.get(urlsplit(address).path)
            assert page.status_code == 200, (
                f"{said} texted with a link answering {page.status_code}"
            )
    # a platform representative cannot open the bureau's case page (their own page comes with
    # the platforms' portal): their notifications carry no link until then
    assert not notification_link(
        Notification.objects.filter(recipient=org.representative).first(), org.representative
    )


def test_opening_a_notification_marks_it_read_and_goes_only_where_the_server_says(client, org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    (notice,) = Notification.objects.filter(recipient=org.a.station_coordinator, case=case)
    client.force_login(org.a.station_coordinator)
    page = client.get(reverse("casework:inbox"))
    assert 'id="unread-badge"' in page.content.decode()
    assert page.context["unread_notifications"] == 1

    url = reverse("casework:inbox_open", args=[notice.pk])
    # another site's page that loads the link marks nothing read
    client.get(url, headers={"Sec-Fetch-Site": "cross-site"})
    notice.refresh_from_db()
    assert notice.read_at is None, "another site marked the coordinator's notification read"
    response = client.get(url + "?next=https://evil.example/", follow=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case_detail", args=[case.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    page = client.get(reverse("casework:inbox"))
    assert page.context["unread_notifications"] == 0
    assert re.search(r'id="unread-badge"[^>]*hidden', page.content.decode()), "a red 0 shown"

    # someone else's notification is not found, and stays unread
    (theirs,) = Notification.objects.filter(recipient=org.a.coordinator, case=case) or [
        notify(recipients=[org.a.coordinator], kind=NotificationKind.NEW_CASE, case=case)[0]
    ]
    assert client.get(reverse("casework:inbox_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_assignee_is_told_live_with_a_link_and_a_claim_tells_no_one(
    org, django_capture_on_commit_callbacks
):
    from casework.core.outbound import capture_outbound

    with django_capture_on_commit_callbacks(execute=True):  # filing's pushes leave first
        case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    with capture_outbound() as sent, django_capture_on_commit_callbacks(execute=True):
        case_assign(
            actor=org.a.station_coordinator, case_id=case.pk, assignee_id=org.a.coordinator.pk
        )
    (notice,) = Notification.objects.filter(
        recipient=org.a.coordinator, kind=NotificationKind.ASSIGNED
    )
    pushed = [n for s in sent if s.kind == "push" for n in s.payload["notifications"]]
    assert notice.pk in pushed, "the assignee's open pages were not told"
    from casework.notifications.rendering import render

    assert render(notice) == f"站长 已将案件 {case.reference} 分派给您。"
    assert notification_link(notice, org.a.coordinator)

    case_assign(actor=org.a.station_coordinator, case_id=case.pk, assignee_id=None)
    case_claim(actor=org.a.station_coordinator, case_id=case.pk)
    assert not Notification.objects.filter(
        recipient=org.a.station_coordinator, kind=NotificationKind.ASSIGNED
    ).exists(), "claiming a case told the claimer"


def test_a_public_note_tells_the_worker_with_a_badge_and_a_text_an_internal_one_does_not(
    client, org, sms_outbox, django_capture_on_commit_callbacks
):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.force_login(org.a.station_coordinator)
    note_url = reverse("casework:case_note", args=[case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(note_url, {"body": "内部：先核对订单"})
    assert (
        not Notification.objects.filter(recipient=org.worker)
        .exclude(kind=NotificationKind.STATUS_CHANGED)
        .exists()
    )
    assert sms_outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(note_url, {"body": "请补充三月份的订单截图。", "is_public": "on"})
    assert Notification.objects.filter(
        recipient=org.worker, kind=NotificationKind.PUBLIC_NOTE
    ).exists(), "the worker's badge and inbox were not told"
    (text,) = sms_outbox
    assert text.to == org.worker.mobile
    assert f"办案人员对您的案件 {case.reference} 有新的留言。" in text.body
    assert text.body.endswith(f"查看详情：{settings.ANXIN_SITE_URL}/cases/{case.pk}/")

    client.force_login(org.worker)
    page = client.get(reverse("casework:case_detail", args=[case.pk]))
    assert page.context["unread_notifications"] == 1
    assert "请补充三月份的订单截图。" in page.content.decode()


def test_a_declined_worker_gets_a_text_with_their_page_and_no_message_form(
    client, org, sms_outbox, django_capture_on_commit_callbacks
):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.force_login(org.a.station_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("casework:case_transition", args=[case.pk, "decline"]),
            {"reason": REASON, "expected_state": "submitted"},
        )
    (text,) = [s for s in sms_outbox if s.to == org.worker.mobile]
    assert text.body.startswith("【安薪】您的案件")
    assert "不予受理" in text.body
    (address,) = SMS_LINK.findall(text.body)

    client.force_login(org.worker)
    response = client.get(urlsplit(address).path)
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("casework:case_message", args=[case.pk]) not in page, "a form no one reads"
    assert "这件投诉已不在这里办理，不能再补充留言或文件。" in page
    assert reverse("casework:intake_start") in page

    response = client.post(
        reverse("casework:case_message", args=[case.pk]), {"body": "为什么不受理？"}, follow=True
    )
    assert "为什么不受理？" not in response.content.decode()


def test_a_signed_out_worker_following_the_text_reaches_their_case_after_signing_in(
    client, org, sms_outbox, django_capture_on_commit_callbacks
):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    staff = Client()
    staff.force_login(org.a.station_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("casework:case_transition", args=[case.pk, "decline"]),
            {"reason": REASON, "expected_state": "submitted"},
        )
    (address,) = SMS_LINK.findall(sms_outbox[-1].body)
    case_path = urlsplit(address).path

    # On a phone that is not signed in, the link asks them to sign in, with their mobile
    page = client.get(case_path, follow=True)
    worker_link = re.search(r'href="(/sign-in/[^"]*)"', page.content.decode())
    assert worker_link, "the sign-in page offered workers no way in"
    client.get(worker_link.group(1).replace("&amp;", "&"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("casework:worker_sign_in"), {"mobile": org.worker.mobile})
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1].body).group(1)
    response = client.post(reverse("casework:worker_sign_in_code"), {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == case_path, "the worker did not reach their case"
    assert response.status_code == 200 and case.reference in response.content.decode()
