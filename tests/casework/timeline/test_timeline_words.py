"""What the system records on the timeline is stored as keys and values and read in the
reader's language; what a person wrote is shown as they wrote it."""

import pytest
from django.utils import translation

from casework.cases.selectors import case_get_for_user
from casework.timeline.events import case_escalated_event, cases_escalated_events
from casework.timeline.models import CaseEvent
from tests.factories.cases import make_case, make_org


@pytest.mark.django_db
def test_an_escalation_by_the_sweep_reads_in_each_readers_language():
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street)
    cases_escalated_events([(case, "西兴街道办公室", ["受理期限"])], actor=org.admin)
    event = CaseEvent.objects.get(case=case, kind="escalated")
    with translation.override("en"):
        assert event.headline == "Escalated to 西兴街道办公室"
        assert event.detail == "Deadline missed: 受理期限"
    with translation.override("zh-hans"):
        assert event.headline == "已上报至西兴街道办公室"
        assert "受理期限" in event.detail and "Deadline" not in event.detail


@pytest.mark.django_db
def test_a_person_s_reason_for_escalating_is_shown_as_written():
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street)
    case_escalated_event(case=case, actor=org.a.coordinator, team_name="调解组", reason="金额较大")
    view = case_get_for_user(user=org.a.coordinator, case_id=case.pk)
    escalation = next(event for event in view.events if event.kind == "escalated")
    assert escalation.visible_reason == "金额较大"
