"""The platform portal, as a representative of a platform and of an operator under it use it."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from casework.cases.choices import CaseState
from casework.cases.models import Evidence
from casework.cases.services.handling import case_add_note
from casework.intake.services import PartyInput
from platforms.choices import CompanyKind
from platforms.models import Representative
from platforms.portal.masking import mask_name, mask_text
from tests.clock import beijing, frozen_now
from tests.factories.cases import make_case, make_org, make_platform, put_case_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-04-13", hour=10)]


@pytest.fixture
def org():
    return make_org()


def _case(org, company, *, state=CaseState.AWAITING_RESPONSE, consent=True, **fields):
    parties = [PartyInput(kind=CompanyKind.PLATFORM, company=org.platform)]
    if company != org.platform:
        parties.append(PartyInput(kind=company.kind, company=company))
    case = make_case(
        worker=org.worker,
        street=org.a.street,
        parties=parties,
        consent_to_share=consent,
        worker_name="张小明",
        **fields,
    )
    return put_case_in_state(case, state, org.supervisor) if state != CaseState.SUBMITTED else case


def _operator_rep(org):
    user = get_user_model().objects.create_user(username="op.rep", password="x" * 12)
    Representative.objects.create(user=user, company=org.operator)
    return user


def test_a_platform_sees_its_operators_cases_and_an_operator_only_its_own(client, org):
    on_platform = _case(org, org.platform)
    on_operator = _case(org, org.operator)
    client.force_login(org.representative)
    page = client.get(reverse("portal:home")).content.decode()
    assert on_platform.reference in page and on_operator.reference in page
    client.force_login(_operator_rep(org))
    page = client.get(reverse("portal:home")).content.decode()
    assert on_operator.reference in page and on_platform.reference not in page
    assert client.get(reverse("portal:case", args=[on_platform.pk])).status_code == 404


def test_another_platforms_representative_gets_404(client, org):
    case = _case(org, org.platform)
    other = make_platform("闪送急送平台")
    rival = get_user_model().objects.create_user(username="rival", password="x" * 12)
    Representative.objects.create(user=rival, company=other)
    client.force_login(rival)
    assert case.reference not in client.get(reverse("portal:home")).content.decode()
    assert client.get(reverse("portal:case", args=[case.pk])).status_code == 404


def test_staff_and_workers_have_no_portal(client, org):
    case = _case(org, org.platform)
    for user in (org.worker, org.a.coordinator, org.supervisor):
        client.force_login(user)
        assert client.get(reverse("portal:home")).status_code == 404
        assert client.get(reverse("portal:case", args=[case.pk])).status_code == 404


def test_the_case_page_masks_the_worker_and_hides_what_the_bureau_keeps(client, org):
    case = _case(
        org,
        org.platform,
        description="站长说扣款，我的电话 13912345678，身份证 110105199001011232，请联系。",
    )
    case_add_note(
        actor=org.supervisor, case_id=case.pk, body="内部：疑似代理商问题", is_public=False
    )
    client.force_login(org.representative)
    page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "张*" in page and "张小明" not in page
    mobile = org.worker.mobile
    assert f"{mobile[:3]}****{mobile[-4:]}" in page and mobile not in page
    assert "139****5678" in page and "13912345678" not in page
    assert "110105********1232" in page and "110105199001011232" not in page
    assert "内部：疑似代理商问题" not in page
    assert "3000.00" in page.replace(",", "")


def test_evidence_only_with_the_workers_consent(client, org):
    shared = _case(org, org.platform, consent=True)
    private = _case(org, org.platform, consent=False)
    for case in (shared, private):
        Evidence.objects.create(
            case=case,
            file=f"evidence/{case.pk}/a.jpg",
            original_name="工资条.jpg",
            content_type="image/jpeg",
            size=10,
            uploaded_by=org.worker,
        )
    client.force_login(org.representative)
    assert "工资条.jpg" in client.get(reverse("portal:case", args=[shared.pk])).content.decode()
    page = client.get(reverse("portal:case", args=[private.pk])).content.decode()
    assert "工资条.jpg" not in page and "未同意" in page
    item = Evidence.objects.get(case=private)
    url = reverse("portal:evidence", args=[private.pk, item.pk])
    assert client.get(url).status_code == 404


def test_complaints_the_bureau_has_not_taken_up_are_not_shown(client, org):
    submitted = _case(org, org.platform, state=CaseState.SUBMITTED)
    client.force_login(org.representative)
    page = client.get(reverse("portal:home"), {"queue": "all"}).content.decode()
    assert submitted.reference not in page
    assert client.get(reverse("portal:case", args=[submitted.pk])).status_code == 404


def test_queues_and_search_by_the_number_alone(client, org):
    awaiting = _case(org, org.platform)
    verifying = _case(org, org.platform, state=CaseState.VERIFYING)
    client.force_login(org.representative)
    page = client.get(reverse("portal:home")).content.decode()
    assert awaiting.reference in page and verifying.reference not in page
    page = client.get(reverse("portal:home"), {"queue": "all"}).content.decode()
    assert awaiting.reference in page and verifying.reference in page
    number = awaiting.reference.rsplit("-", 1)[1]
    page = client.get(reverse("portal:home"), {"queue": "all", "q": number}).content.decode()
    assert awaiting.reference in page and verifying.reference not in page


def test_overdue_after_the_response_deadline(client, org):
    awaiting = _case(org, org.platform)
    client.force_login(org.representative)
    assert (
        awaiting.reference
        not in client.get(reverse("portal:home"), {"queue": "overdue"}).content.decode()
    )
    with frozen_now(beijing(date(2026, 5, 20), 10)):
        client.force_login(org.representative)  # a new session: the old one has expired
        page = client.get(reverse("portal:home"), {"queue": "overdue"}).content.decode()
    assert awaiting.reference in page


@pytest.mark.parametrize(
    ("name", "masked"), [("张小明", "张**"), ("欧阳娜娜", "欧***"), ("李", "李*"), ("", "")]
)
def test_names_keep_their_first_character(name, masked):
    assert mask_name(name) == masked


def test_numbers_inside_text_are_masked():
    assert mask_text("电话138 0013 8000") == "电话138****8000"
    assert mask_text("订单号 202604130001234567 金额") == "订单号 202604130001234567 金额"


def test_a_representatives_notification_and_text_lead_to_the_portals_page(client, org, sms_outbox):
    from casework.notifications.models import Notification
    from casework.notifications.rendering import notification_link, sms_text

    case = _case(org, org.operator)
    row = Notification.objects.filter(recipient=org.representative, case=case).latest("pk")
    client.force_login(org.representative)
    response = client.get(notification_link(row, org.representative), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("portal:case", args=[case.pk])
    assert reverse("portal:case", args=[case.pk]) in sms_text(row, org.representative)
