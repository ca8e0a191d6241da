"""Every change of content keeps a numbered version of the full text; any two versions can be
compared, side by side or as a unified diff."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from mediation.contracts.choices import ContractState
from mediation.contracts.diffing import diff_texts
from mediation.contracts.models import ContractVersion
from mediation.contracts.selectors import contract_history_for_user
from mediation.contracts.services.lifecycle import contract_renew
from mediation.contracts.services.terms import (
    clause_move,
    clause_remove,
    clause_update,
    contract_create,
    contract_update_terms,
)
from tests.contracts.builders import (
    TODAY,
    add_clause,
    make_contract_org,
    platform_terms,
    put_contract_in_state,
)

pytestmark = pytest.mark.now(TODAY, hour=15)


@pytest.fixture
def co(db):
    return make_contract_org()


def versions(contract):
    return list(ContractVersion.objects.filter(contract=contract).order_by("number"))


def test_each_change_of_content_is_a_numbered_version_with_who_and_why(co):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    floor = add_clause(contract, co.keeper, "hourly-floor")
    add_clause(contract, co.keeper, "rest-prompt")
    clause_update(
        actor=co.supervisor,
        contract_id=contract.pk,
        clause_id=floor.pk,
        values={"hourly_floor": "28"},
    )
    # Saving the same values again changes nothing, so no new version.
    clause_update(
        actor=co.supervisor,
        contract_id=contract.pk,
        clause_id=floor.pk,
        values={"hourly_floor": "28.00"},
    )
    rows = versions(contract)
    assert [v.number for v in rows] == [1, 2, 3, 4]
    assert rows[0].created_by == co.keeper
    assert rows[1].reason_text == "添加条款: 最低小时收入保障"
    assert rows[3].created_by == co.supervisor
    assert rows[3].reason_text == "修改条款: 最低小时收入保障"
    assert "每小时不低于28元" in rows[3].text and "每小时不低于25元" in rows[2].text
    # The full text: key terms, the chapter headings and numbered articles.
    assert rows[3].text.startswith("速达外卖平台集体合同\n适用范围：")
    assert "合同期限：2026年1月1日至2027年12月31日" in rows[3].text
    assert "第一章 劳动报酬与最低收入保障\n第一条 " in rows[3].text
    assert "第二章 工作时间与休息休假\n第二条 劳动者连续接单满4小时的" in rows[3].text
    assert "暂停派单不少于20分钟" in rows[3].text


def test_terms_removal_and_moves_make_versions_too(co):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    first = add_clause(contract, co.keeper, "hourly-floor")
    second = add_clause(contract, co.keeper, "piece-rate")
    clause_move(actor=co.keeper, contract_id=contract.pk, clause_id=second.pk, direction="up")
    text = versions(contract)[-1].text
    assert text.index("第一条 每单基础报酬") < text.index("第二条 速达")
    clause_remove(actor=co.keeper, contract_id=contract.pk, clause_id=first.pk)
    contract_update_terms(
        actor=co.keeper,
        contract_id=contract.pk,
        terms=platform_terms(co.org, title="速达外卖平台集体合同（2026—2027）"),
    )
    reasons = [v.reason_text for v in versions(contract)]
    assert reasons[-3:] == [
        "调整条款顺序: 计件单价与收入明细",
        "移除条款: 最低小时收入保障",
        "修改基本信息",
    ]
    # The clause's own history keeps the removed clause and who removed it.
    assert first.history.filter(history_type="-", history_user=co.keeper).exists()


def test_the_diff_marks_changed_characters_inside_a_changed_clause():
    old = "标题\n第一条 每小时不低于25元。\n第二条 不变。\n"
    new = "标题\n第一条 每小时不低于28元。\n第二条 不变。\n第三条 新增条款。\n"
    diff = diff_texts(old, new, label_old="v1", label_new="v2")
    kinds = [row.kind for row in diff.rows]
    assert kinds == ["equal", "replace", "equal", "insert"]
    replaced = diff.rows[1]
    assert [(s.text, s.changed) for s in replaced.old] == [
        ("第一条 每小时不低于", False),
        ("25", True),
        ("元。", False),
    ]
    assert ("28", True) in [(s.text, s.changed) for s in replaced.new]
    assert ("insert", "+第三条 新增条款。") in diff.unified
    assert ("delete", "-第一条 每小时不低于25元。") in diff.unified
    assert (diff.edited, diff.added, diff.removed) == (1, 1, 0)


def test_the_diff_page_side_by_side_and_unified(co, client):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    floor = add_clause(contract, co.keeper, "hourly-floor")
    clause_update(
        actor=co.keeper, contract_id=contract.pk, clause_id=floor.pk, values={"hourly_floor": "30"}
    )
    client.force_login(co.keeper)
    url = reverse("contracts:diff", args=[contract.pk])
    page = client.get(url, {"old": 2, "new": 3})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<del>25</del>" in html and "<ins>30</ins>" in html
    unified = client.get(url, {"old": 2, "new": 3, "layout": "unified"}).content.decode()
    assert "-第一条" in unified and "+第一条" in unified
    # Either order, and a version of the same number on another contract is not reachable.
    assert client.get(url, {"old": 3, "new": 1}).status_code == 200
    other = contract_create(actor=co.keeper, terms=platform_terms(co.org, title="另一份合同"))
    assert client.get(url, {"old": 1, "new": 9}).status_code == 404
    other_url = reverse("contracts:diff", args=[other.pk])
    assert client.get(other_url, {"old": 1, "new": 3}).status_code == 404
    # Nonsense parameters: back to the contract with a message, never a 500.
    assert client.get(url, {"old": "x", "new": "3"}).status_code == 302
    version_page = client.get(reverse("contracts:version", args=[contract.pk, 3]))
    assert "每小时不低于30元" in version_page.content.decode()


def test_why_a_version_was_written_is_shown_in_the_readers_language(co, client):
    # Given a contract drafted by someone reading in English
    with translation.override("en"):
        contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
        floor = add_clause(contract, co.keeper, "hourly-floor")
        clause_update(
            actor=co.keeper,
            contract_id=contract.pk,
            clause_id=floor.pk,
            values={"hourly_floor": "30"},
        )
    # When a Chinese reader opens it, then the versions and the history say why in Chinese
    client.force_login(co.supervisor)
    url = reverse("contracts:detail", args=[contract.pk])
    page = client.get(url).content.decode()
    assert "添加条款: 最低小时收入保障" in page and "修改条款: 最低小时收入保障" in page
    assert "Clause added" not in page and "Opened" not in page, "English words on a Chinese page"
    diff = client.get(reverse("contracts:diff", args=[contract.pk]), {"old": 2, "new": 3})
    assert "修改条款: 最低小时收入保障" in diff.content.decode()
    # and an English reader reads English
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "Clause added: 最低小时收入保障" in page and "Clause changed: 最低小时收入保障" in page
    assert "添加条款" not in page and "修改条款" not in page
    version = client.get(reverse("contracts:version", args=[contract.pk, 1])).content.decode()
    assert "Opened" in version


def test_a_renewal_names_the_old_contract_in_the_readers_language(co):
    old = put_contract_in_state(
        ContractState.EXPIRED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    with translation.override("en"):
        new = contract_renew(actor=co.keeper, contract_id=old.pk)
    version = versions(new)[0]
    period = f"{old.term_start:%Y-%m-%d} – {old.term_end:%Y-%m-%d}"
    assert version.reason_text == f"续签“{old.title}”（{period}）"
    with translation.override("en"):
        assert version.reason_text == f"Renewal of “{old.title}” ({period})"
    assert contract_history_for_user(user=co.keeper, contract=new)[0]["reason"] == "续签"


def test_the_migration_turns_the_services_words_back_into_keys(co):
    migration = importlib.import_module("mediation.contracts.migrations.0003_version_reason_key")
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    written = [
        "新建",
        "Clause added: 最低小时收入保障",
        "调整条款顺序: 计件单价与收入明细",
        "续签“速达外卖平台集体合同”（2024-01-01 – 2024-12-31）",
        "双方同意按新标准执行",  # free text: kept as written
    ]
    ContractVersion.objects.filter(contract=contract).delete()
    for number, text in enumerate(written, start=1):
        ContractVersion.objects.create(
            contract=contract,
            number=number,
            text="…",
            reason=text,
            state="drafting",
            created_by=co.keeper,
        )
    migration.reasons_to_keys(django_apps, None)
    rows = versions(contract)
    assert [(v.reason_key, v.reason_params) for v in rows] == [
        ("opened", {}),
        ("clause_added", {"clause": "最低小时收入保障"}),
        ("clause_moved", {"clause": "计件单价与收入明细"}),
        ("renewal", {"title": "速达外卖平台集体合同", "start": "2024-01-01", "end": "2024-12-31"}),
        ("", {}),
    ]
    with translation.override("en"):
        assert [v.reason_text for v in rows] == [
            "Opened",
            "Clause added: 最低小时收入保障",
            "Clause moved: 计件单价与收入明细",
            "Renewal of “速达外卖平台集体合同” (2024-01-01 – 2024-12-31)",
            "双方同意按新标准执行",
        ]
