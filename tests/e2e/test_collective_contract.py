"""A supervisor walks the demo industry contract as the new user of issue 14 did: the clauses
bind the member enterprises and read with real names, each chapter heading is said once, a
clause of their own is added and shows as one added line, and 60 yes of 120 members approve."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from casework.demo.data import DEMO_PASSWORD
from mediation.contracts.choices import ContractState
from mediation.contracts.demo import INDUSTRY_TITLE
from mediation.contracts.models import CollectiveContract
from tests.e2e.steps import staff_signs_in
from tests.factories.seeds import restore_seeded_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
OWN_TEXT = "各成员企业应在配送站点设置快递员休息点，提供饮水、充电和卫生间。"


def test_a_supervisor_walks_the_industry_contract_in_chinese(live_server, desktop_page, settings):
    restore_seeded_rows()  # an earlier transactional test may have flushed the library
    settings.DEBUG = True  # seed_demo refuses to load demo logins into a production site
    call_command("seed_demo", "--quiet-logins")
    settings.DEBUG = False
    contract = CollectiveContract.objects.get(title=INDUSTRY_TITLE)
    page = desktop_page
    staff_signs_in(page, live_server.url, "district.supervisor", DEMO_PASSWORD)
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/contracts/")
    page.get_by_role("link", name=INDUSTRY_TITLE).click()

    clauses = page.locator("#clauses-title").locator("..")
    expect(clauses).to_contain_text("滨江区快递行业协会各成员企业应于每月15日前足额支付上月报酬")
    text = clauses.inner_text()
    assert not re.search(r"\{[a-z_]+\}", text), "a clause shows a placeholder"
    headings = [h.strip() for h in clauses.locator("h3").all_inner_texts()]
    assert headings[0] == "第一章 总则", headings
    assert all(len(set(h.split()[1:])) == len(h.split()[1:]) for h in headings), headings

    page.get_by_role("link", name="＋ 自拟条款").click()
    page.get_by_label("章", exact=True).select_option(value="hours")
    page.get_by_label("标题").fill("休息点")
    page.get_by_label("条款内容").fill(OWN_TEXT)
    page.get_by_role("button", name="添加条款").click()
    expect(page.locator(".messages")).to_contain_text("已添加条款")
    expect(clauses).to_contain_text(f"【休息点】{OWN_TEXT}")

    page.locator("#versions-title").locator("..").get_by_role("link", name="改动").first.click()
    expect(page.locator(".diff-summary")).to_have_text(
        re.compile(r"改动 0 行\s*·\s*新增 1 行\s*·\s*删除 0 行")
    )
    page.get_by_role("link", name=f"← {INDUSTRY_TITLE}").click()

    page.get_by_role("link", name="登记职工代表大会表决结果").click()
    expect(page.locator(".lead")).to_contain_text("半数以上（含半数")
    held = timezone.localtime() - timedelta(hours=1)
    page.get_by_label("召开时间").fill(held.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("职工代表大会应到人数").fill("120")
    page.get_by_label("实到人数").fill("80")
    page.get_by_label("赞成", exact=True).fill("60")
    page.get_by_label("反对", exact=True).fill("15")
    page.get_by_label("弃权", exact=True).fill("5")
    page.get_by_role("button", name="登记表决结果").click()
    expect(page.locator(".messages")).to_contain_text("职工代表大会已通过合同")
    contract.refresh_from_db()
    assert contract.state == ContractState.CONGRESS_APPROVED
