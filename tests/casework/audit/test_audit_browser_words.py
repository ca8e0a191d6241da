"""The audit browser names every field and reason in Chinese, even those declared without a
label (a screening's "recorded_by") and a collective contract's steps ("start_consulting")."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from casework.governance.services import screening_record
from mediation.contracts.selectors import readable_contract_reason
from tests.factories.cases import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07", hour=10)]


def test_a_screening_in_the_audit_browser_reads_in_chinese(client):
    org = make_org()
    screening_record(
        actor=org.a.inspector,
        company_id=org.platform.pk,
        unit_id=org.a.street.pk,
        screened_on=date(2026, 12, 7),
        manner="online",
        inspector_ids=[org.a.inspector.pk],
        failed={"contracts": ""},
        correction_days=5,
    )
    client.force_login(org.supervisor)
    page = client.get(reverse("casework:audit_browser")).content.decode()
    assert "记录人" in page
    assert "期限为暂定" in page
    for code in ("recorded by", "due is provisional", "hazard screening:"):
        assert code not in page


def test_a_contract_step_in_history_reads_as_its_label():
    with translation.override("zh-hans"):
        words = readable_contract_reason("approve_by_congress: 97/120")
        assert "approve_by_congress" not in words
        assert words.endswith("97/120")
        assert readable_contract_reason("双方同意") == "双方同意"
