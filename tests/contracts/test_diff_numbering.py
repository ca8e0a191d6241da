"""The version diff compares what clauses say, not their numbers: adding a clause renumbers
those after it, which is no change of theirs, and one edited clause is one changed line."""

import re

import pytest
from django.urls import reverse

from mediation.contracts.diffing import diff_texts
from mediation.contracts.services.terms import clause_move, clause_update, contract_create
from tests.contracts.builders import TODAY, add_clause, make_contract_org, platform_terms

pytestmark = pytest.mark.now(TODAY, hour=15)


@pytest.fixture
def co(db):
    return make_contract_org()


def summary(client, contract, old, new) -> str:
    page = client.get(reverse("contracts:diff", args=[contract.pk]), {"old": old, "new": new})
    assert page.status_code == 200
    html = page.content.decode()
    match = re.search(r'<p class="diff-summary">(.*?)</p>', html, re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip()


def test_a_renumbering_alone_is_no_change_and_one_edit_is_one_changed_line(co, client):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    for key in ("hourly-floor", "piece-rate", "settlement-day", "fare-advance", "rest-prompt"):
        add_clause(contract, co.keeper, key)
    before = contract.versions.count()
    # a new first clause, in a new first chapter: every article and chapter number moves
    add_clause(contract, co.keeper, "general-purpose")
    added = contract.versions.count()
    settlement = contract.clauses.get(template__key="settlement-day")
    clause_update(
        actor=co.keeper,
        contract_id=contract.pk,
        clause_id=settlement.pk,
        values={"settlement_day": "10"},
    )
    edited = contract.versions.count()
    client.force_login(co.keeper)
    # the edit alone: one changed line, not every renumbered clause
    assert summary(client, contract, added, edited) == "改动 1 行 · 新增 0 行 · 删除 0 行"
    # the addition alone: the new chapter (blank line, heading, clause), nothing else
    assert summary(client, contract, before, added) == "改动 0 行 · 新增 3 行 · 删除 0 行"
    assert summary(client, contract, before, edited) == "改动 1 行 · 新增 3 行 · 删除 0 行"
    # the changed line is marked at the figure, not at its new article number
    html = client.get(
        reverse("contracts:diff", args=[contract.pk]), {"old": before, "new": edited}
    ).content.decode()
    assert "<del>15</del>" in html and "<ins>10</ins>" in html
    assert "<ins>第四条" not in html and "<del>第三条" not in html
    unified = client.get(
        reverse("contracts:diff", args=[contract.pk]),
        {"old": before, "new": edited, "layout": "unified"},
    ).content.decode()
    assert "-第三条 劳动报酬按月结算" in unified and "+第四条 劳动报酬按月结算" in unified
    assert "-第一条 " not in unified, "a renumbered clause shown as removed"


def test_a_move_shows_the_moved_clause_not_the_whole_chapter(co):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    for key in ("hourly-floor", "piece-rate", "settlement-day", "fare-advance"):
        add_clause(contract, co.keeper, key)
    old = contract.versions.order_by("-number").first().text
    last = contract.clauses.get(template__key="fare-advance")
    for _ in range(3):
        clause_move(actor=co.keeper, contract_id=contract.pk, clause_id=last.pk, direction="up")
    new = contract.versions.order_by("-number").first().text
    diff = diff_texts(old, new, label_old="v1", label_new="v2")
    assert diff.added + diff.edited <= 1 and diff.removed + diff.edited <= 1


def test_renumbered_lines_are_equal_rows_showing_both_numbers():
    old = "标题\n\n第一章 劳动报酬与最低收入保障\n第一条 甲。\n第二条 乙。\n"
    new = (
        "标题\n\n第一章 总则\n第一条 新。\n\n"
        "第二章 劳动报酬与最低收入保障\n第二条 甲。\n第三条 乙。\n"
    )
    diff = diff_texts(old, new, label_old="v1", label_new="v2")
    assert (diff.edited, diff.added, diff.removed) == (0, 3, 0)
    last = diff.rows[-1]
    assert last.kind == "equal"
    assert last.old[0].text == "第二条 乙。" and last.new[0].text == "第三条 乙。"
