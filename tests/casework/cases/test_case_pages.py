"""The complaint pages, through the HTTP client: intake, queue, case page, evidence."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from casework.cases.models import Case, Evidence
from casework.cases.services.handling import case_add_note
from casework.core.roles import Role
from casework.intake.models import IntakeDraft
from casework.intake.services import Complaint, PartyInput, case_file
from casework.organisation.choices import TeamKind
from casework.organisation.models import Unit
from casework.timeline.models import CaseEvent
from platforms.models import Company
from tests.factories.organisation import make_staff, make_street, make_team, make_worker

# Workers complain in October 2026 about September's pay (a period may not end in the future).
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def street():
    street = make_street("西兴街道")
    make_team(unit=street, kind=TeamKind.SERVICE_STATION)
    return street


@pytest.fixture
def platform():
    return Company.objects.create(
        name="杭州速达网络科技有限公司",
        short_name="速达外卖",
        kind="platform",
        industry="food_delivery",
    )


@pytest.fixture
def coordinator(street):
    return make_staff(role=Role.COORDINATOR, team=make_team(unit=street), display_name="李明")


def jpeg(name="pay.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def file_case(worker, street, platform, **overrides) -> Case:
    complaint = Complaint(
        category="pay_arrears",
        description="九月份的配送费一直没有结算",
        jurisdiction=street,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        parties=[PartyInput(kind="platform", company=platform)],
        amount_claimed=Decimal("3200.50"),
    )
    for key, value in overrides.items():
        setattr(complaint, key, value)
    return case_file(actor=worker, complaint=complaint, channel="online")


def walk_steps(client, street, platform, description="九月份的配送费一直没有结算"):
    steps = [
        {"category": "pay_arrears", "description": description},
        {"platform": platform.pk, "operator": "某某配送站"},
        {
            "jurisdiction": street.pk,
            "period_start": "2026-09-01",
            "period_end": "2026-09-30",
            "amount_claimed": "3200.50",
            "still_working": "yes",
        },
        {"worker_name": "张伟"},
    ]
    for number, data in enumerate(steps, start=1):
        response = client.post(reverse("casework:intake_step", args=[number]), data)
        assert response.status_code == 302, response.context["form"].errors


# Intake ----------------------------------------------------------------------------------


def test_a_worker_files_step_by_step_and_gets_a_reference(client, street, platform):
    worker = make_worker()
    client.force_login(worker)
    walk_steps(client, street, platform)
    response = client.post(
        reverse("casework:intake_step", args=[5]),
        {"files": [jpeg(), jpeg("orders.jpg")], "consent_to_share": "on"},
    )

    case = Case.objects.get()
    assert response["Location"] == reverse("casework:receipt", args=[case.pk])
    assert case.reference.startswith("BJ-2026-0000")
    assert case.state == "submitted" and case.amount_claimed == Decimal("3200.50")
    assert [str(p) for p in case.parties.order_by("position")] == ["速达外卖", "某某配送站"]
    assert case.parties.get(position=2).company is None, "an unknown operator stays free text"
    assert case.evidence.count() == 2 and case.consent_to_share
    assert not IntakeDraft.objects.filter(owner=worker).exists()
    receipt = client.get(response["Location"]).content.decode()
    assert case.reference in receipt


def test_what_was_typed_survives_a_dropped_connection(client, street, platform):
    worker = make_worker()
    client.force_login(worker)
    client.post(
        reverse("casework:intake_step", args=[1]),
        {"category": "fine_deduction", "description": "超时被罚款 50 元，申诉无人处理"},
    )
    again = client.__class__()
    again.force_login(worker)

    response = again.get(reverse("casework:intake_start"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("casework:intake_step", args=[2])
    step_one = again.get(reverse("casework:intake_step", args=[1])).content.decode()
    assert "超时被罚款 50 元，申诉无人处理" in step_one


def test_steps_cannot_be_skipped(client):
    client.force_login(make_worker())
    response = client.get(reverse("casework:intake_step", args=[3]))
    assert response["Location"] == reverse("casework:intake_step", args=[1])


@pytest.mark.parametrize(
    ("step3", "field"),
    [
        ({"period_start": "2026-09-30", "period_end": "2026-09-01"}, "period_end"),
        ({"period_start": "2026-09-01", "period_end": "2999-01-01"}, "period_end"),
        ({"period_start": "not a date", "period_end": "2026-09-01"}, "period_start"),
        ({"amount_claimed": "-5"}, "amount_claimed"),
        ({"amount_claimed": "1e30"}, "amount_claimed"),
        ({"amount_claimed": "12.345"}, "amount_claimed"),
        ({"amount_claimed": "abc"}, "amount_claimed"),
        ({"jurisdiction": "999999"}, "jurisdiction"),
        ({"jurisdiction": ""}, "jurisdiction"),
    ],
)
def test_bad_where_and_when_is_a_field_error(client, street, platform, step3, field):
    client.force_login(make_worker())
    walk_steps(client, street, platform)
    data = {
        "jurisdiction": street.pk,
        "period_start": "2026-09-01",
        "period_end": "2026-09-30",
        "still_working": "yes",
        **step3,
    }
    response = client.post(reverse("casework:intake_step", args=[3]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_a_jpg_that_is_really_html_is_refused_and_nothing_is_filed(client, street, platform):
    client.force_login(make_worker())
    walk_steps(client, street, platform)
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")

    response = client.post(reverse("casework:intake_step", args=[5]), {"files": [fake]})

    assert response.status_code == 200
    assert "photo.jpg" in " ".join(response.context["form"].errors["files"])
    assert not Case.objects.exists() and not Evidence.objects.exists()


def test_an_oversized_file_is_refused(client, street, platform, settings):
    settings.ANXIN_EVIDENCE_MAX_BYTES = 2000
    client.force_login(make_worker())
    walk_steps(client, street, platform)
    big = io.BytesIO()
    Image.effect_noise((200, 200), 50).convert("RGB").save(big, "JPEG", quality=100)
    response = client.post(
        reverse("casework:intake_step", args=[5]),
        {"files": [SimpleUploadedFile("big.jpg", big.getvalue(), "image/jpeg")]},
    )
    assert "files" in response.context["form"].errors and not Case.objects.exists()


def test_an_eleventh_file_is_refused(client, street, platform):
    client.force_login(make_worker())
    walk_steps(client, street, platform)
    response = client.post(
        reverse("casework:intake_step", args=[5]), {"files": [jpeg(f"{n}.jpg") for n in range(11)]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert not Case.objects.exists()


def test_script_in_the_description_is_shown_inert(client, street, platform, coordinator):
    worker = make_worker()
    case = file_case(worker, street, platform, description="<script>alert('x')</script> 欠薪")
    for reader in (worker, coordinator):
        client.force_login(reader)
        page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 欠薪" in page


def test_staff_file_for_a_walk_in_caller(client, street, platform, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("casework:staff_intake"),
        {
            "worker_mobile": "139 1111 2222",
            "worker_name": "王师傅",
            "channel": "walk_in",
            "category": "account_ban",
            "description": "账号被封，平台不给解释",
            "platform": platform.pk,
            "jurisdiction": street.pk,
            "period_start": "2026-10-01",
            "period_end": "2026-10-02",
            "amount_claimed": "500",
            "still_working": "no",
        },
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("casework:case_detail", args=[case.pk])
    assert case.channel == "walk_in" and case.filed_by == coordinator
    assert case.worker.mobile == "13911112222" and case.worker.is_worker
    assert case.amount_claimed == 0, "an account ban claims no money"


def test_workers_cannot_use_staff_pages(client):
    client.force_login(make_worker())
    assert client.get(reverse("casework:queue")).status_code == 404
    assert client.get(reverse("casework:staff_intake")).status_code == 404


# Access ----------------------------------------------------------------------------------


def test_another_workers_case_and_another_streets_case_answer_404(client, street, platform):
    case = file_case(make_worker(), street, platform)
    evidence_case = file_case(make_worker("13922223333"), street, platform, files=[])
    other_worker = make_worker("13733334444")
    other_street = make_street("长河街道")
    other_coordinator = make_staff(team=make_team(unit=other_street))
    for outsider in (other_worker, other_coordinator):
        client.force_login(outsider)
        for name, args in [
            ("casework:case_detail", [case.pk]),
            ("casework:receipt", [case.pk]),
            ("casework:evidence_file", [evidence_case.pk, 1]),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 404
        response = client.post(
            reverse("casework:case_transition", args=[case.pk, "withdraw"]),
            {"expected_state": "submitted", "reason": "x"},
        )
        assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).state == "submitted"


def test_evidence_is_served_only_to_those_who_may_see_the_case(client, street, platform):
    from casework.core.uploads import check_evidence_file

    worker = make_worker()
    case = file_case(worker, street, platform, files=[check_evidence_file(jpeg())])
    evidence = case.evidence.get()
    url = reverse("casework:evidence_file", args=[case.pk, evidence.pk])
    client.force_login(worker)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store", "kept in no cache"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    client.logout()
    assert client.get(url).status_code == 302


# Case page and queue -----------------------------------------------------------------------


def test_the_case_page_offers_exactly_the_actions_the_user_may_take(
    client, street, platform, coordinator
):
    case = file_case(make_worker(), street, platform)
    client.force_login(coordinator)
    view = client.get(reverse("casework:case_detail", args=[case.pk])).context["view"]
    assert [name for name, _rule in view.transitions] == [
        "accept",
        "decline",
        "transfer",
        "withdraw",
        "merge",  # a link to the merge page (casework.merging), not a button
    ]


def test_declining_needs_a_reason_and_the_worker_sees_it(client, street, platform, coordinator):
    worker = make_worker()
    case = file_case(worker, street, platform)
    client.force_login(coordinator)
    url = reverse("casework:case_transition", args=[case.pk, "decline"])
    client.post(url, {"expected_state": "submitted", "reason": "  "})
    assert Case.objects.get(pk=case.pk).state == "submitted"

    client.post(url, {"expected_state": "submitted", "reason": "不属于本区管辖，请向上城区投诉"})
    assert Case.objects.get(pk=case.pk).state == "not_accepted"
    client.force_login(worker)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "不属于本区管辖，请向上城区投诉" in page


def test_two_coordinators_on_one_case_the_second_is_told_it_changed(
    client, street, platform, coordinator
):
    case = file_case(make_worker(), street, platform)
    colleague = make_staff(team=coordinator.memberships.get().team)
    client.force_login(coordinator)
    client.post(
        reverse("casework:case_transition", args=[case.pk, "accept"]),
        {"expected_state": "submitted"},
    )
    second = client.__class__()
    second.cookies["django_language"] = "en"
    second.force_login(colleague)
    response = second.post(
        reverse("casework:case_transition", args=[case.pk, "decline"]),
        {"expected_state": "submitted", "reason": "重复投诉"},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "Someone changed this case while you were looking at it: it is now “Accepted”."
    ]
    assert response.context["case"].state == "accepted"
    assert CaseEvent.objects.filter(case=case, kind="transition").count() == 1


def test_internal_notes_stay_internal(client, street, platform, coordinator):
    worker = make_worker()
    case = file_case(worker, street, platform)
    case_add_note(
        actor=coordinator, case_id=case.pk, body="内部：企业负责人电话 138", is_public=False
    )
    case_add_note(actor=coordinator, case_id=case.pk, body="请补充九月的订单截图", is_public=True)
    client.force_login(worker)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "请补充九月的订单截图" in page and "企业负责人电话" not in page


def test_the_worker_adds_a_message_and_a_photo(client, street, platform, coordinator):
    worker = make_worker()
    case = file_case(worker, street, platform)
    client.force_login(worker)
    client.post(
        reverse("casework:case_message", args=[case.pk]),
        {"body": "补充：站长微信聊天记录", "files": [jpeg("chat.jpg")]},
    )
    client.force_login(coordinator)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "补充：站长微信聊天记录" in page and "chat.jpg" in page


def test_the_worker_withdraws_without_a_reason(client, street, platform):
    worker = make_worker()
    case = file_case(worker, street, platform)
    client.force_login(worker)
    client.post(reverse("casework:case_withdraw", args=[case.pk]), {"expected_state": "submitted"})
    assert Case.objects.get(pk=case.pk).state == "withdrawn"


def test_claiming_from_the_queue(client, street, platform, coordinator):
    case = file_case(make_worker(), street, platform)
    client.force_login(coordinator)
    client.post(reverse("casework:case_assign", args=[case.pk]), {"claim": "1", "from": "queue"})
    assert Case.objects.get(pk=case.pk).assignee == coordinator
    mine = client.get(reverse("casework:queue"), {"queue": "mine"}).context["page"].rows
    assert [c.pk for c in mine] == [case.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "13912345678"},
        {"q": "BJ-2026-000001"},
        {"q": "不存在"},
        {"state": "bogus"},
        {"page": "-1"},
        {"page": "abc"},
        {"platform": "99999"},
        {"date_from": "2026-13-45"},
        {"sort": "'; drop table"},
    ],
)
def test_queue_filters_never_fail(client, street, platform, coordinator, params):
    file_case(make_worker(), street, platform)
    client.force_login(coordinator)
    assert client.get(reverse("casework:queue"), params).status_code == 200


def test_queue_search_by_phone_and_filter_by_platform(client, street, platform, coordinator):
    mine = file_case(make_worker("13912345678"), street, platform)
    other_platform = Company.objects.create(name="飞驰", kind="platform", industry="ride_hailing")
    file_case(make_worker("13800001111"), street, other_platform)
    client.force_login(coordinator)
    by_phone = client.get(reverse("casework:queue"), {"q": "13912345678"}).context["page"].rows
    by_platform = (
        client.get(reverse("casework:queue"), {"platform": platform.pk}).context["page"].rows
    )
    assert [c.pk for c in by_phone] == [mine.pk] == [c.pk for c in by_platform]


def _queries(client, url) -> int:
    client.get(url)  # what changed in between (people, notifications) is read once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_costs_the_same_queries_for_1_and_50_rows(client, street, platform, coordinator):
    client.force_login(coordinator)
    file_case(make_worker(), street, platform)
    client.get(reverse("casework:queue"))  # the filter options are cached from then on
    one = _queries(client, reverse("casework:queue"))
    for n in range(49):
        file_case(make_worker(f"1390000{n:04d}"), street, platform)
    fifty = _queries(client, reverse("casework:queue") + "?page=1")
    print(f"queue queries: {one} for 1 row, {fifty} for 50")
    # 3: the rows, their parties and the bulk actions' "assign to" list (issue 14); the user,
    # their scope and their unread count are kept between requests (issue 19)
    assert one == fifty <= 3, (one, fifty)


def test_the_case_page_costs_the_same_queries_for_1_and_20_events(
    client, street, platform, coordinator
):
    case = file_case(make_worker(), street, platform)
    client.force_login(coordinator)
    url = reverse("casework:case_detail", args=[case.pk])
    few = _queries(client, url)
    for n in range(19):
        case_add_note(actor=coordinator, case_id=case.pk, body=f"第 {n} 次电话联系", is_public=True)
    many = _queries(client, url)
    print(f"case page queries: {few} for 1 event, {many} for 20")
    # What a coordinator's page of a new case reads: the session (the user, their scope,
    # unread count and the people the case may be assigned to are kept between requests),
    # the case with which of its panels have rows (its payments, payment orders, rating,
    # files, merges and splits), its parties, its clocks, its timeline, its notes, the people
    # those name. Nothing for the panels it has no rows of (rating, ledger lists, files,
    # linked cases): each of those is one more query once it has some.
    assert few == many == 7, (few, many)


def test_the_change_history_names_who_changed_what_and_to_what(client):
    from casework.cases.choices import CaseState
    from casework.cases.services.handling import case_assign
    from casework.cases.services.transitions import case_transition
    from tests.factories.cases import make_case, make_org

    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street)
    case_transition(actor=org.a.station_coordinator, case_id=case.pk, name="accept")
    case_assign(actor=org.a.station_coordinator, case_id=case.pk, assignee_id=org.a.mediator.pk)
    url = reverse("casework:case_history", args=[case.pk])

    client.force_login(org.a.station_coordinator)
    page = client.get(url).content.decode()

    accepted = f"<del>{CaseState.SUBMITTED.label}</del> → <ins>{CaseState.ACCEPTED.label}</ins>"
    assert accepted in page, "states by their names, not their keys"
    assert f"<del>—</del> → <ins>{org.a.mediator.name}</ins>" in page, "people by name"
    assert page.count(org.a.station_coordinator.name) >= 2, "who made each change"
    case_page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert f'href="{url}"' in case_page
    for outsider in (org.worker, org.b.coordinator):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, "the worker and other streets get 404"


def test_pages_and_code_each_read_as_meant_in_chinese(client, street, platform, coordinator):
    # "Pages" is the pager (分页) and a document's page count (页数); "code" a unit's
    # identifier (代码) and a document's verification code (验证码).
    file_case(make_worker(), street, platform)
    client.force_login(coordinator)
    queue = client.get(reverse("casework:queue")).content.decode()
    assert 'aria-label="分页"' in queue
    rendered = Template(
        "{% load i18n %}{% translate 'Pages' context 'page count' %}"
        "|{% translate 'code' context 'verification code' %}"
    ).render(Context())
    assert rendered == "页数|验证码"
    assert str(Unit._meta.get_field("code").verbose_name) == "代码"
