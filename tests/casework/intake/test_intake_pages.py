"""Issue 14, as a new user met the intake: the worker's name and ID, a review screen before
sending, half-typed steps kept, My cases pointing back to them, the staff form in the order of
a phone call, step titles in the page's language."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from casework.cases.models import Case
from casework.intake.models import IntakeDraft
from tests.casework.cases.test_case_pages import jpeg, walk_steps
from tests.factories.organisation import make_worker

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]

ID_NUMBER = "11010519491231002X"
MASKED_ID = "110105********002X"


def step(number: int) -> str:
    return reverse("casework:intake_step", args=[number])


def walk_to_about_you(client, street, platform):
    walk_steps(client, street, platform)
    IntakeDraft.objects.update(step=4)  # walk_steps also filled step 4; start it afresh
    draft = IntakeDraft.objects.get()
    draft.data.pop("4", None)
    draft.save()


def test_the_worker_gives_a_full_name_and_id_number_and_the_case_keeps_them(
    client, street, platform
):
    client.force_login(make_worker())
    walk_to_about_you(client, street, platform)
    response = client.post(step(4), {"worker_name": " 张　伟 ", "worker_id_number": ID_NUMBER})
    assert response["Location"] == step(5)
    client.post(step(5), {"files": [jpeg()], "consent_to_share": "on"})

    case = Case.objects.get()
    assert case.worker_name == "张 伟", "the agreement prints the name the worker typed"
    assert case.worker_id_number == ID_NUMBER


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("139****5678", "请填写身份证上的姓名，不要填写手机号码。"),
        ("13912345678", "请填写身份证上的姓名，不要填写手机号码。"),
        ("１３９１２３４５６７８", "请填写身份证上的姓名，不要填写手机号码。"),
        ("---", "请按身份证填写姓名。"),
        ("", "请填写这一项。"),
        ("张" * 51, "50"),
    ],
)
def test_a_phone_number_or_nothing_is_not_a_name(client, street, platform, name, message):
    client.force_login(make_worker())
    walk_to_about_you(client, street, platform)
    response = client.post(step(4), {"worker_name": name})
    assert response.status_code == 200
    shown = " ".join(response.context["form"].errors["worker_name"])
    assert message in shown and shown in response.content.decode(), "the worker is not told why"
    assert IntakeDraft.objects.get().step == 4, "the worker cannot go on to sending"


def test_a_wrong_id_number_is_refused_and_none_is_fine(client, street, platform):
    client.force_login(make_worker())
    walk_to_about_you(client, street, platform)
    wrong_check_digit = "110105194912310021"
    response = client.post(step(4), {"worker_name": "张伟", "worker_id_number": wrong_check_digit})
    refusal = response.context["form"].errors["worker_id_number"][0]
    assert "18" in refusal and refusal in response.content.decode(), "the check digit is wrong"
    assert client.post(step(4), {"worker_name": "张伟"})["Location"] == step(5)


def test_the_review_screen_shows_every_answer_with_a_link_back_to_each_step(
    client, street, platform
):
    client.force_login(make_worker())
    walk_to_about_you(client, street, platform)
    client.post(step(4), {"worker_name": "张伟", "worker_id_number": ID_NUMBER})

    page = client.get(step(5)).content.decode()
    assert "第 5 步，共 5 步" in page
    for answer in (
        "九月份的配送费一直没有结算",
        "速达外卖",
        "某某配送站",
        "西兴街道",
        "2026-09-01",
        "2026-09-30",
        "¥3,200.50",
        "张伟",
        MASKED_ID,
    ):
        assert answer in page, f"the review screen does not show {answer}"
    assert ID_NUMBER not in page, "the ID number is shown masked"
    for number in (1, 2, 3, 4):
        assert f'href="{step(number)}"' in page, f"no link back to step {number}"
    assert not Case.objects.exists(), "nothing is filed before the worker presses send"


def test_a_half_typed_step_is_kept_and_my_cases_leads_back_to_it(client, street, platform):
    worker = make_worker()
    client.force_login(worker)
    client.post(step(1), {"category": "pay_arrears", "description": "九月份的配送费一直没有结算"})
    # The worker types the operator but not yet the platform; the page saves as they type.
    response = client.post(step(2), {"operator": "某某配送站", "autosave": "1"})
    assert response.status_code == 204

    # The connection drops; they come back later and sign in.
    page = client.get(reverse("casework:my_cases")).content.decode()
    notice = re.sub(r"<[^>]+>", "", page)
    assert "您有一份未提交的投诉，继续填写" in notice
    assert f'href="{step(2)}"' in page
    assert 'value="某某配送站"' in client.get(step(2)).content.decode()


def test_save_and_finish_later_keeps_the_step_and_goes_to_my_cases(client, street, platform):
    client.force_login(make_worker())
    response = client.post(step(1), {"description": "九月份的配送费一直没有结算", "later": "1"})
    assert response["Location"] == reverse("casework:my_cases")
    assert 'name="description"' in client.get(step(1)).content.decode()
    assert "九月份的配送费一直没有结算" in client.get(step(1)).content.decode()


def test_my_cases_says_nothing_of_a_draft_when_there_is_none(client):
    client.force_login(make_worker())
    page = client.get(reverse("casework:my_cases")).content.decode()
    assert "未提交的投诉" not in page


def test_english_pages_show_english_step_titles(client):
    client.cookies["django_language"] = "en"
    client.force_login(make_worker())
    page = client.get(step(1)).content.decode()
    assert "Step 1 of 5" in page and "What happened" in page
    assert "事情经过" not in page, "a step title stayed in Chinese on an English page"


# Staff intake -------------------------------------------------------------------------------


def test_staff_intake_asks_in_the_order_of_a_phone_call_about_the_worker(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("casework:staff_intake")).content.decode()
    order = [
        'id="id_worker_name"',
        'id="id_worker_mobile"',
        'id="id_worker_id_number"',
        'id="id_jurisdiction"',
        'id="id_platform"',
        'id="id_category"',
        'id="id_description"',
        'id="id_files"',
        'id="id_consent_to_share"',
    ]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions), "the form does not follow the call"
    assert "劳动者主要在哪里工作？" in page
    assert "您主要在哪里工作" not in page, "the staff form speaks to the worker"


STAFF_POST = {
    "worker_mobile": "139 1111 2222",
    "channel": "phone",
    "category": "pay_arrears",
    "description": "九月份的配送费一直没有结算",
    "jurisdiction": None,
    "platform": None,
    "period_start": "2026-09-01",
    "period_end": "2026-09-30",
    "amount_claimed": "500",
    "still_working": "no",
}


def test_staff_intake_refuses_a_masked_phone_as_the_name(client, street, platform, coordinator):
    client.force_login(coordinator)
    data = STAFF_POST | {"jurisdiction": street.pk, "platform": platform.pk}
    response = client.post(reverse("casework:staff_intake"), data | {"worker_name": "139****2222"})
    assert "请填写身份证上的姓名，不要填写手机号码。" in response.content.decode()
    assert not Case.objects.exists()


def test_the_id_number_is_shown_in_full_to_bureau_staff_only_when_they_ask(
    client, street, platform, coordinator
):
    client.force_login(coordinator)
    data = STAFF_POST | {"jurisdiction": street.pk, "platform": platform.pk}
    response = client.post(
        reverse("casework:staff_intake"),
        data | {"worker_name": "王师傅", "worker_id_number": ID_NUMBER.lower()},
    )
    case = Case.objects.get()
    assert case.worker_name == "王师傅" and case.worker_id_number == ID_NUMBER
    staff_page = client.get(response["Location"]).content.decode()
    assert ID_NUMBER not in staff_page, "masked until staff click 'show' (the reveal is logged)"
    client.post(reverse("casework:case_reveal", args=[case.pk, "id_number"]))
    assert ID_NUMBER in client.get(response["Location"]).content.decode()

    shown = Template("{% load identity %}{{ number|id_number_for:user }}")
    assert shown.render(Context({"number": ID_NUMBER, "user": case.worker})) == MASKED_ID
