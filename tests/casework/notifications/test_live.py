"""Real-time notifications through channels' WebsocketCommunicator and the real ASGI app."""

import logging

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from casework.cases.services.transitions import case_transition
from casework.notifications.models import Notification
from config.asgi import application
from tests.factories.cases import make_case, make_org

pytestmark = [pytest.mark.django_db(transaction=True)]
asyncio = pytest.mark.asyncio


@pytest.fixture(autouse=True)
def close_connections_after():
    """Async tests leave connections open on PostgreSQL (STACK-NOTES)."""
    yield
    connections.close_all()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def connect(user=None, origin=b"http://localhost") -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"localhost")]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(session_cookie)(user)))
    return WebsocketCommunicator(application, "/ws/notifications/", headers=headers)


@asyncio
async def test_anonymous_users_are_refused():
    communicator = await connect()
    connected, _code = await communicator.connect()
    assert not connected, "the handshake of an anonymous user is rejected"


@asyncio
async def test_a_foreign_origin_is_refused():
    org = await sync_to_async(make_org)()
    communicator = await connect(org.a.coordinator, origin=b"https://evil.example")
    connected, _code = await communicator.connect()
    assert not connected


@asyncio
async def test_a_coordinator_hears_their_team_and_not_another():
    org = await sync_to_async(make_org)()
    ours = await connect(org.a.station_coordinator)
    theirs = await connect(org.b.station_coordinator)
    assert (await ours.connect())[0] and (await theirs.connect())[0]

    case = await sync_to_async(make_case)(worker=org.worker, street=org.a.street)

    message = await ours.receive_json_from(timeout=3)
    assert message["type"] == "notification" and message["case"] == case.pk
    assert (
        case.reference in message["text"]
        and "欠薪" in message["text"]
        and "东城街道" in message["text"]
    )
    # the link marks the notification read on its way to the case page
    assert message["url"] == f"/notifications/{message['id']}/open/"
    assert await theirs.receive_nothing(timeout=0.3)
    await ours.disconnect()
    await theirs.disconnect()


@asyncio
async def test_the_worker_hears_a_status_change_in_their_language():
    org = await sync_to_async(make_org)()
    worker = org.worker
    worker.preferred_language = "en"
    await sync_to_async(worker.save)(update_fields=["preferred_language"])
    case = await sync_to_async(make_case)(worker=worker, street=org.a.street)
    communicator = await connect(worker)
    assert (await communicator.connect())[0]

    await sync_to_async(case_transition)(
        actor=org.a.coordinator, case_id=case.pk, name="accept", expected_state="submitted"
    )

    message = await communicator.receive_json_from(timeout=3)
    assert message["text"] == f"Your case {case.reference} is now “Accepted”."
    await communicator.disconnect()


@asyncio
async def test_an_open_case_page_hears_changes_but_only_for_visible_cases():
    org = await sync_to_async(make_org)()
    case = await sync_to_async(make_case)(worker=org.worker, street=org.a.street)
    outsider = await connect(org.b.coordinator)
    insider = await connect(org.a.coordinator)
    await outsider.connect()
    await insider.connect()
    await outsider.send_json_to({"subscribe": "case", "case": case.pk})
    await insider.send_json_to({"subscribe": "case", "case": case.pk})
    assert await insider.receive_json_from(timeout=3) == {"type": "subscribed", "case": case.pk}
    assert await outsider.receive_nothing(timeout=0.3), "another street may not subscribe"

    await sync_to_async(case_transition)(
        actor=org.a.coordinator, case_id=case.pk, name="accept", expected_state="submitted"
    )
    change = await insider.receive_json_from(timeout=3)
    assert change["type"] == "case" and change["case"] == case.pk
    assert await outsider.receive_nothing(timeout=0.3)
    await insider.disconnect()
    await outsider.disconnect()


@asyncio
async def test_a_queue_hears_new_cases_of_its_streets():
    org = await sync_to_async(make_org)()
    communicator = await connect(org.a.coordinator)
    await communicator.connect()
    await communicator.send_json_to({"subscribe": "queue"})
    assert (await communicator.receive_json_from(timeout=3))["queue"] is True

    case = await sync_to_async(make_case)(worker=org.worker, street=org.a.street)

    change = await communicator.receive_json_from(timeout=3)
    assert change["type"] == "case" and change["case"] == case.pk
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_channel_layer_never_fails_the_action(settings, caplog):
    """Redis down: the transition succeeds, the inbox has the notification, the error is
    logged (as in production: tests otherwise raise from the door)."""
    settings.ANXIN_OUTBOUND_RAISE = False
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    channel_layers.backends = {}
    try:
        with caplog.at_level(logging.ERROR, logger="casework.core.outbound"):
            moved = case_transition(
                actor=org.a.coordinator, case_id=case.pk, name="accept", expected_state="submitted"
            )
    finally:
        channel_layers.backends = {}
    assert moved.state == "accepted"
    assert Notification.objects.filter(recipient=org.worker, case=case).exists()
    assert "Outbound side effect failed" in caplog.text


async def receive_all(communicator, timeout=0.5) -> list[dict]:
    messages = []
    while not await communicator.receive_nothing(timeout=timeout):
        messages.append(await communicator.receive_json_from())
    return messages


def file_five_cases_then_let_them_breach(org) -> list:
    from datetime import date

    from tests.factories.cases import make_case_on, make_case_worker

    return [
        make_case_on(
            date(2026, 9, 28),
            worker=make_case_worker(f"师傅{n}"),
            street=org.a.street,
            platform=org.platform,
            period_start=date(2026, 7, 1),
            period_end=date(2026, 8, 31),
        )
        for n in range(5)
    ]


@asyncio
@pytest.mark.now("2026-10-12T08:00")
async def test_a_sweep_escalating_many_cases_tells_each_person_once():
    """The morning sweep escalates five cases to the street's coordinators: the coordinator
    gets one toast counting them (not five), and their open queue hears one hint a queue.
    Monday 12 October 2026: the cases filed on 28 September were due on Saturday the 10th."""
    from casework.clocks.sweep import sweep_deadlines
    from tests.factories.seeds import restore_seeded_rows

    await sync_to_async(restore_seeded_rows)()  # the system user, the calendar, the rules
    org = await sync_to_async(make_org)()
    cases = await sync_to_async(file_five_cases_then_let_them_breach)(org)
    communicator = await connect(org.a.coordinator)
    assert (await communicator.connect())[0]
    await communicator.send_json_to({"subscribe": "queue"})
    assert (await communicator.receive_json_from(timeout=3))["queue"] is True

    report = await sync_to_async(sweep_deadlines)()

    assert report.escalated == 5
    messages = await receive_all(communicator)
    summaries = [m for m in messages if m["type"] == "notifications"]
    assert [m for m in messages if m["type"] == "notification"] == []
    assert len(summaries) == 1 and summaries[0]["count"] == 5
    assert summaries[0]["text"] == "5 条新通知，请查看收件箱。"
    assert summaries[0]["url"] == "/notifications/"
    newest = await sync_to_async(
        lambda: Notification.objects.filter(recipient=org.a.coordinator).latest("pk").pk
    )()
    assert summaries[0]["id"] == newest, "the page remembers it has seen up to here"
    hints = [m for m in messages if m["type"] == "case"]
    # One per queue group the page listens to (its team's and its street's), not one per case.
    assert len(hints) == 2 and {h["case"] for h in hints} <= {c.pk for c in cases}
    await communicator.disconnect()


@asyncio
async def test_a_case_page_open_many_times_hears_each_change_once_per_entitled_socket():
    """The sockets of one process that watch a case share one channel-layer subscription: each
    entitled page hears every change once, a page of another street hears nothing, and the
    pages still open keep hearing after another closes."""
    from casework.notifications.consumers import _Hub

    org = await sync_to_async(make_org)()
    case = await sync_to_async(make_case)(worker=org.worker, street=org.a.street)
    entitled = [org.a.coordinator, org.a.station_coordinator, org.supervisor]
    pages = [await connect(user) for user in entitled]
    outsider = await connect(org.b.coordinator)
    for page in [*pages, outsider]:
        assert (await page.connect())[0]
        await page.send_json_to({"subscribe": "case", "case": case.pk})
    for page in pages:
        assert await page.receive_json_from(timeout=3) == {"type": "subscribed", "case": case.pk}
    hub = _Hub.of(channel_layers["default"])
    assert len(hub.members[f"case.{case.pk}"]) == 3, "one shared subscription, three pages"

    await sync_to_async(case_transition)(
        actor=org.a.coordinator, case_id=case.pk, name="accept", expected_state="submitted"
    )
    for page in pages:
        heard = [m for m in await receive_all(page) if m["type"] == "case"]
        assert [m["case"] for m in heard] == [case.pk], "each open page hears the change once"
    assert await outsider.receive_nothing(timeout=0.3), "another street's page hears nothing"

    await pages[0].disconnect()
    await sync_to_async(case_transition)(
        actor=org.a.coordinator,
        case_id=case.pk,
        name="start_verification",
        expected_state="accepted",
    )
    for page in pages[1:]:
        heard = [m for m in await receive_all(page) if m["type"] == "case"]
        assert [m["case"] for m in heard] == [case.pk], "the pages still open keep hearing"
    assert await outsider.receive_nothing(timeout=0.3)
    for page in [*pages[1:], outsider]:
        await page.disconnect()
    assert f"case.{case.pk}" not in hub.readers, "the last page to close leaves the group"
