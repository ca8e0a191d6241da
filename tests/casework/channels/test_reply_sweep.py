"""Issue 20: the deadline sweep watches the replies owed upstream. The case's team hears once
when a reply falls due within two working days and once when it is overdue; a reply already
sent is never warned about; another team hears nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from casework.channels.models import UpstreamOrder
from casework.channels.replies import reply_confirm, reply_draft
from casework.channels.reply_sweep import upstream_reply_sweep
from casework.clocks.work_calendar import load_calendar
from casework.notifications.audiences import team_members
from casework.notifications.models import Notification, NotificationKind
from casework.notifications.rendering import render, render_for
from tests.casework.channels.helpers import register
from tests.factories.cases import make_org, put_case_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]

DUE = NotificationKind.UPSTREAM_REPLY_DUE
OVERDUE = NotificationKind.UPSTREAM_REPLY_OVERDUE


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def order(org):
    case, _created = register(org.a.coordinator, org.a.street)
    return UpstreamOrder.objects.get(case=case)


def told(kind) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def working_days_before(day, n):
    """The day n working days before `day` on the official calendar."""
    calendar, current = load_calendar(), day
    while calendar.working_days_between(current, day) < n:
        current -= timedelta(days=1)
    return current


def test_a_reply_due_within_two_working_days_is_warned_to_the_team_once(order, org, now_is):
    now_is(working_days_before(order.due_on, 5))
    upstream_reply_sweep()
    assert not told(DUE), "five working days ahead is not yet 'soon'"

    now_is(working_days_before(order.due_on, 2))
    upstream_reply_sweep()
    team = {user.pk for user in team_members(order.case.team_id)}
    assert team and told(DUE) == team, "everyone in the case's team is told"
    assert Notification.objects.filter(kind=DUE).count() == len(team)

    call_command("sweep_deadlines", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Notification.objects.filter(kind=DUE).count() == len(team), "told once"
    assert not told(OVERDUE)

    others = {org.b.coordinator.pk, org.b.station_coordinator.pk, org.b.mediator.pk}
    assert not told(DUE) & others, "another street's team hears nothing"

    notice = Notification.objects.filter(kind=DUE).first()
    with translation.override("zh-hans"):
        words = render(notice)
    assert order.reference in words and order.case.reference in words
    assert f"{order.due_on:%Y-%m-%d}" in words and "答复" in words
    recipient = notice.recipient
    assert order.case.reference in render_for(notice, recipient)


def test_an_overdue_reply_is_told_once_and_the_case_page_opens_from_it(order, org, now_is, client):
    now_is(order.due_on + timedelta(days=1))
    upstream_reply_sweep()
    upstream_reply_sweep()
    team = {user.pk for user in team_members(order.case.team_id)}
    assert told(OVERDUE) == team
    assert Notification.objects.filter(kind=OVERDUE).count() == len(team), "told once"
    assert not told(DUE), "a reply already late is not 'due soon'"

    notice = Notification.objects.filter(kind=OVERDUE).first()
    client.force_login(notice.recipient)
    opened = client.get(reverse("casework:inbox_open", args=[notice.pk]), follow=True)
    assert opened.status_code == 200
    assert order.case.reference in opened.content.decode()


def test_a_sent_reply_is_never_warned(order, org, now_is):
    put_case_in_state(order.case, "resolved", org.supervisor)
    reply_draft(actor=org.a.coordinator, order_id=order.pk)
    reply_confirm(actor=org.a.coordinator, order_id=order.pk, text="办理完毕。")

    now_is(working_days_before(order.due_on, 1))
    upstream_reply_sweep()
    now_is(order.due_on + timedelta(days=3))
    upstream_reply_sweep()
    assert not told(DUE) and not told(OVERDUE)


def test_the_sweep_reads_and_writes_in_bulk_whatever_the_number_of_orders(org, now_is):
    first, _ = register(org.a.coordinator, org.a.street, reference="12345-1000")
    due_on = UpstreamOrder.objects.get(case=first).due_on
    now_is(working_days_before(due_on, 1))
    with CaptureQueriesContext(connection) as one:
        assert upstream_reply_sweep().due_soon == 1

    for n in range(6):
        register(org.a.coordinator, org.a.street, reference=f"12345-20{n}", mobile=f"1390000300{n}")
    assert set(UpstreamOrder.objects.values_list("due_on", flat=True)) == {due_on}
    with CaptureQueriesContext(connection) as six:
        assert upstream_reply_sweep().due_soon == 6
    assert len(six) == len(one), "the queries of the sweep do not grow with the orders"
