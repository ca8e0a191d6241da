"""The one door for side effects: nothing leaves before the commit, everything leaves through
`send_on_commit`, a failure fails the test, and a test can see what was sent."""

import logging
import re
from pathlib import Path

import pytest
from django.db import transaction

from casework.cases.services.transitions import case_transition
from casework.core.outbound import capture_outbound, send_on_commit
from tests.factories.cases import make_case, make_org

ROOT = Path(__file__).resolve().parents[3]
APPS = ["casework", "arrears", "platforms", "mediation", "config"]


def test_nothing_but_the_door_registers_on_commit_callbacks():
    door = ROOT / "casework" / "core" / "outbound.py"
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path != door and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\bon_commit\(|run_on_commit", line)
    ]
    assert offenders == [], "side effects must leave through casework.core.outbound"


@pytest.mark.django_db(transaction=True)
def test_an_accepted_case_tells_the_worker_by_push_and_text_after_the_commit():
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street)
    with capture_outbound() as sent, transaction.atomic():
        case_transition(actor=org.a.coordinator, case_id=case.pk, name="accept")
        assert sent == [], "nothing may leave before the transaction commits"
    kinds = sorted(item.kind for item in sent)
    # ... and the platforms' webhooks hear of it (none listens here: the fan-out finds none),
    # and every worker process counts the worker's unread badge again (cache)
    assert kinds == ["cache", "push", "sms", "webhook"]
    text = next(item for item in sent if item.kind == "sms")
    assert text.payload["to"] == org.worker.mobile
    assert case.reference in text.payload["body"]
    push = next(item for item in sent if item.kind == "push")
    assert f"user.{org.worker.pk}" not in push.payload["groups"]  # notifications go as rows
    assert f"case.{case.pk}" in push.payload["groups"]
    assert push.payload["notifications"], "the worker's notification is pushed"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_sends_nothing():
    with capture_outbound() as sent:
        with pytest.raises(RuntimeError), transaction.atomic():
            send_on_commit(lambda: None, kind="sms", description="never")
            raise RuntimeError("rolled back")
        send_on_commit(lambda: None, kind="sms", description="autocommit: at once")
    assert [item.description for item in sent] == ["autocommit: at once"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_side_effect_fails_the_test_and_is_only_logged_in_production(settings, caplog):
    def broken():
        raise ValueError("gateway refused the payload")

    with pytest.raises(ValueError, match="gateway refused"):
        send_on_commit(broken, kind="sms", description="broken SMS")

    settings.ANXIN_OUTBOUND_RAISE = False
    with caplog.at_level(logging.ERROR, logger="casework.core.outbound"):
        send_on_commit(broken, kind="sms", description="broken SMS")
    assert "Outbound side effect failed: broken SMS" in caplog.text
