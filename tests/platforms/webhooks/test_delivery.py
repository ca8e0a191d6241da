"""Deliveries to a real receiver: signed, retried with backoff for up to a day, logged, and
replayed by hand as a new attempt."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.core.errors import ActionRefused
from platforms.webhooks.choices import DeliveryStatus
from platforms.webhooks.models import Attempt, Delivery
from platforms.webhooks.sending import BACKOFF, MAX_ATTEMPTS, next_attempt_after
from platforms.webhooks.services import (
    delivery_replay,
    endpoint_ping,
    endpoint_rotate_secret,
    endpoint_set_active,
)
from tests.platforms.webhooks.helpers import register, sample_verifier

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07T10:00+08:00")]


def test_a_test_event_reaches_the_receiver_signed_and_is_logged(
    chains, receiver, allow_private, django_capture_on_commit_callbacks
):
    org = chains.org
    endpoint, secret = register(org.representative, org.platform, receiver.url("/in"))
    with django_capture_on_commit_callbacks(execute=True):
        delivery = endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)
    [request] = receiver.requests
    assert request.path == "/in"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.headers["Anxin-Event-Id"].startswith("evt_")
    assert sample_verifier()(secret, request.body, request.headers["Anxin-Signature"])
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 1
    attempt = Attempt.objects.get(delivery=delivery)
    assert attempt.status_code == 200 and attempt.response_body == "received 200"


def test_the_backoff_schedule_lasts_under_a_day():
    start = timezone.now()
    now, waits = start, []
    for attempts in range(1, MAX_ATTEMPTS + 1):
        retry_at = next_attempt_after(attempts=attempts, created_at=start, now=now)
        if retry_at is None:
            break
        waits.append(retry_at - now)
        now = retry_at
    assert waits == list(BACKOFF)
    assert timedelta(hours=17) < now - start < timedelta(days=1)
    # a delivery a day old is not retried any more, whatever its count
    assert next_attempt_after(attempts=1, created_at=start - timedelta(days=1), now=start) is None


def test_a_failing_receiver_is_retried_on_schedule_then_given_up(
    chains, receiver, allow_private, django_capture_on_commit_callbacks, now_is
):
    org = chains.org
    now_is("2026-12-07", hour=10, tick=False)
    receiver.statuses = [500] * MAX_ATTEMPTS
    endpoint, _secret = register(org.representative, org.platform, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        delivery = endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)
    for wait in BACKOFF:
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.RETRYING
        sent = len(receiver.requests)
        # not yet: the retry sweep leaves it alone until its time
        now_is.shift(wait - timedelta(seconds=5))
        with django_capture_on_commit_callbacks(execute=True):
            call_command("webhooks_retry", stdout=_Null())
        assert len(receiver.requests) == sent
        now_is.shift(timedelta(seconds=5))
        with django_capture_on_commit_callbacks(execute=True):
            call_command("webhooks_retry", stdout=_Null())
        assert len(receiver.requests) == sent + 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert delivery.attempts == MAX_ATTEMPTS
    assert (
        list(delivery.tries.order_by("number").values_list("status_code", flat=True))
        == [500] * MAX_ATTEMPTS
    )
    # headers say which attempt it is
    assert [r.headers["Anxin-Delivery-Attempt"] for r in receiver.requests] == [
        str(n) for n in range(1, MAX_ATTEMPTS + 1)
    ]


class _Null:
    def write(self, *_args):
        pass


def test_a_replay_sends_the_same_event_again_as_a_new_attempt(
    chains, receiver, allow_private, django_capture_on_commit_callbacks
):
    org = chains.org
    receiver.statuses = [404]
    endpoint, secret = register(org.representative, org.platform, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        delivery = endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_replay(actor=org.representative, endpoint_id=endpoint.pk, delivery_id=delivery.pk)
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["Anxin-Event-Id"] == second.headers["Anxin-Event-Id"]
    assert sample_verifier()(secret, second.body, second.headers["Anxin-Signature"])
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2
    tries = list(delivery.tries.order_by("number"))
    assert [(t.number, t.status_code, t.replay) for t in tries] == [(1, 404, False), (2, 200, True)]


def test_a_replay_asked_twice_before_it_left_is_refused_the_second_time(
    chains, receiver, allow_private
):
    org = chains.org
    endpoint, _secret = register(org.representative, org.platform, receiver.url())
    delivery = endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)  # not committed
    delivery_replay(actor=org.representative, endpoint_id=endpoint.pk, delivery_id=delivery.pk)
    with pytest.raises(ActionRefused):
        delivery_replay(actor=org.representative, endpoint_id=endpoint.pk, delivery_id=delivery.pk)


def test_a_switched_off_endpoint_gets_nothing_and_its_waiting_deliveries_stop(
    chains, receiver, allow_private, django_capture_on_commit_callbacks, now_is
):
    org = chains.org
    receiver.statuses = [503]
    endpoint, _secret = register(org.representative, org.platform, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        delivery = endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)
    endpoint_set_active(actor=org.representative, endpoint_id=endpoint.pk, active=False)
    now_is.shift(timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("webhooks_retry", stdout=_Null())
    assert len(receiver.requests) == 1
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.FAILED
    with pytest.raises(ActionRefused):
        endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)


def test_after_a_rotation_the_old_secret_signs_for_a_day_then_only_the_new(
    chains, receiver, allow_private, django_capture_on_commit_callbacks, now_is
):
    org = chains.org
    endpoint, old = register(org.representative, org.platform, receiver.url())
    _endpoint, new = endpoint_rotate_secret(actor=org.representative, endpoint_id=endpoint.pk)
    verify = sample_verifier()
    with django_capture_on_commit_callbacks(execute=True):
        endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)
    request = receiver.requests[-1]
    assert verify(old, request.body, request.headers["Anxin-Signature"])
    assert verify(new, request.body, request.headers["Anxin-Signature"])
    now_is.shift(timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)
    request = receiver.requests[-1]
    assert not verify(old, request.body, request.headers["Anxin-Signature"])
    assert verify(new, request.body, request.headers["Anxin-Signature"])


def test_a_receiver_that_is_down_is_logged_as_unreachable(
    chains, allow_private, django_capture_on_commit_callbacks
):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    org = chains.org
    endpoint, _secret = register(org.representative, org.platform, f"http://127.0.0.1:{port}/")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)
    attempt = Attempt.objects.get(delivery=delivery)
    assert attempt.error == "connection" and attempt.get_error_display()


@pytest.fixture
def database_task_backend(settings):
    """django-tasks-db, as in production: tasks are rows, run by `db_worker`."""
    from asgiref.local import Local
    from django.tasks import task_backends

    def reset():
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    reset()
    yield
    reset()  # read again from the settings, which pytest-django puts back next


def test_with_a_worker_that_defers_the_retry_is_queued_for_its_time(
    chains, receiver, allow_private, database_task_backend, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from platforms.webhooks.tasks import deliver_webhook

    org = chains.org
    receiver.statuses = [502]
    endpoint, _secret = register(org.representative, org.platform, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        delivery = endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)
    queued = DBTaskResult.objects.get()
    assert receiver.requests == [] and queued.args_kwargs["args"] == [delivery.pk]
    deliver_webhook.call(delivery.pk)  # what db_worker runs
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.run_after == delivery.next_attempt_at
    waited = delivery.next_attempt_at - delivery.last_attempt_at
    assert BACKOFF[0] <= waited < BACKOFF[0] + timedelta(seconds=5)  # a minute after it failed
    # the retry sweep, run beside the worker, does not send it early
    call_command("webhooks_retry", stdout=_Null())
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_tests_asked_at_the_same_moment_send_one(chains, receiver, allow_private):
    from tests.concurrency import run_together

    org = chains.org
    endpoint, _secret = register(org.representative, org.platform, receiver.url())

    def ping():
        return endpoint_ping(actor=org.representative, endpoint_id=endpoint.pk)

    results = run_together([ping, ping])
    assert sorted(ok for ok, _value in results) == [False, True]
    refused = next(value for ok, value in results if not ok)
    assert isinstance(refused, ActionRefused)
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1
    assert len(receiver.requests) == 1
