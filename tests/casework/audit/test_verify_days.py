"""verify_audit reads a sealed day as its digest did: the entries recorded that day."""

import datetime as dt

import pytest

from casework.audit.digests import digest_record
from casework.audit.verify import verify_chain
from casework.timeline.choices import EventKind
from casework.timeline.models import CaseEvent
from tests.casework.audit.tampering import tamper
from tests.clock import beijing, frozen_now
from tests.factories.cases import make_case, make_org, put_case_in_state

pytestmark = [pytest.mark.django_db]

FILED_ON = dt.date(2026, 12, 1)


def _note(case, reason):
    return CaseEvent.objects.create(case_id=case.pk, kind=EventKind.NOTE_ADDED, reason=reason)


@pytest.mark.now("2026-12-05T10:00+08:00")
def test_a_row_written_under_an_earlier_date_between_a_days_rows_still_verifies():
    with frozen_now(beijing(FILED_ON, 9)):
        org = make_org()
        case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
        put_case_in_state(case, "accepted", org.supervisor)
    with frozen_now(beijing(FILED_ON - dt.timedelta(days=40), 9)):
        _note(case, "补录：十月的电话记录")  # a back-dated entry amid the day's
    with frozen_now(beijing(FILED_ON, 15)):
        late = _note(case, "与企业电话沟通")
    digest_record(day=FILED_ON)
    assert verify_chain().ok
    # the day's seal still catches a change to one of its rows
    tamper("UPDATE casework_caseevent SET reason = %s WHERE id = %s", ["改", late.pk])
    assert not verify_chain().ok
