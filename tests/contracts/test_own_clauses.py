"""A clause of the drafter's own, for terms the library lacks: written on its page with a title
and a text in a chapter, bounded and free of control characters, escaped where it is shown,
numbered, versioned, diffed, moved, carried into a renewal and printed like any clause."""

import re
import subprocess

import pytest
from django.urls import reverse

from mediation.contracts.choices import ContractState
from mediation.contracts.models import ContractClause
from mediation.contracts.services.lifecycle import contract_renew
from mediation.contracts.services.terms import clause_move, contract_create
from mediation.models import Document
from tests.contracts.builders import (
    TODAY,
    add_clause,
    make_contract_org,
    platform_terms,
    put_contract_in_state,
)

S = ContractState
pytestmark = pytest.mark.now(TODAY, hour=15)
TEXT = "平台应在站点设置骑手休息驿站，提供饮水、充电和卫生间，冬夏两季开放时间不少于每日14小时。"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def co(db):
    return make_contract_org()


@pytest.fixture
def contract(co):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    add_clause(contract, co.keeper, "hourly-floor")
    add_clause(contract, co.keeper, "rest-prompt")
    return contract


def write(client, contract, **fields):
    data = {"chapter": "hours", "title": "休息驿站", "text": TEXT, **fields}
    return client.post(reverse("contracts:own_clause_add", args=[contract.pk]), data)


def latest_text(contract) -> str:
    return contract.versions.order_by("-number").first().text


def test_a_drafter_writes_a_clause_of_their_own_through_the_page(co, client, contract):
    client.force_login(co.keeper)
    detail = reverse("contracts:detail", args=[contract.pk])
    assert (
        reverse("contracts:own_clause_add", args=[contract.pk])
        in client.get(detail).content.decode()
    )
    library = client.get(reverse("contracts:clause_add", args=[contract.pk])).content.decode()
    assert "自拟条款" in library
    form = client.get(reverse("contracts:own_clause_add", args=[contract.pk]))
    assert form.status_code == 200
    versions_before = contract.versions.count()
    response = write(client, contract)
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    # numbered with the others, in its chapter, after the rest prompt
    assert f"第三条</strong> 【休息驿站】{TEXT}" in page
    assert f"第三条 {TEXT}" in latest_text(contract)
    assert contract.versions.count() == versions_before + 1
    assert "添加条款: 休息驿站" in page
    # changed through its own form; one changed line in the diff
    clause = ContractClause.objects.get(contract=contract, template__isnull=True)
    edit = reverse("contracts:clause_edit", args=[contract.pk, clause.pk])
    assert TEXT in client.get(edit).content.decode()
    new_text = TEXT.replace("14小时", "16小时")
    saved = client.post(edit, {"chapter": "hours", "title": "休息驿站", "text": new_text})
    assert saved.status_code == 302
    assert f"第三条 {new_text}" in latest_text(contract)
    last = contract.versions.count()
    diff = client.get(
        reverse("contracts:diff", args=[contract.pk]), {"old": last - 1, "new": last}
    ).content.decode()
    assert "<del>14</del>" in diff and "<ins>16</ins>" in diff
    assert "改动 1 行 · 新增 0 行 · 删除 0 行" in re.sub(r"\s+", " ", diff)
    # moved and removed like any clause
    clause_move(actor=co.keeper, contract_id=contract.pk, clause_id=clause.pk, direction="up")
    assert f"第二条 {new_text}" in latest_text(contract)
    client.post(reverse("contracts:clause_remove", args=[contract.pk, clause.pk]))
    assert new_text not in latest_text(contract)
    assert "移除条款: 休息驿站" in client.get(detail).content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"text": "短"}, "text", "至少 5 个字"),
        ({"text": "长" * 2001}, "text", "2000"),
        ({"title": "题" * 61}, "title", "60"),
        ({"title": ""}, "title", "请填写这一项"),
        ({"text": "骑手\x07的报酬按月结算。"}, "text", "控制字符"),
        ({"text": "骑手\u202e的报酬按月结算。"}, "text", "控制字符"),
        ({"text": "{employer}应按月支付报酬。"}, "text", "不能包含"),
        ({"chapter": "nonsense"}, "chapter", "nonsense"),
    ],
)
def test_bad_clauses_are_refused_with_a_message_and_change_nothing(
    co, client, contract, fields, field, words
):
    client.force_login(co.keeper)
    versions_before = contract.versions.count()
    response = write(client, contract, **fields)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert words in response.content.decode()
    assert not ContractClause.objects.filter(contract=contract, template__isnull=True).exists()
    assert contract.versions.count() == versions_before


def test_line_breaks_become_spaces_so_a_clause_stays_one_line_of_the_text(co, client, contract):
    client.force_login(co.keeper)
    write(client, contract, text="第一句话写在这里。\r\n\r\n第二句话写在这里。")
    clause = ContractClause.objects.get(contract=contract, template__isnull=True)
    assert clause.own_text == "第一句话写在这里。 第二句话写在这里。"
    assert "第三条 第一句话写在这里。 第二句话写在这里。\n" in latest_text(contract)


def test_the_text_is_escaped_on_the_page_and_printed_as_written_in_the_pdf(
    co, client, contract, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(co.keeper)
    markup = '<b onmouseover="x()">加粗</b> & <script>alert(1)</script>不得扣减报酬。'
    write(client, contract, title="<i>标题</i>", text=markup)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b onmouseover" not in page
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;加粗&lt;/b&gt; &amp; &lt;script&gt;" in page
    assert "【&lt;i&gt;标题&lt;/i&gt;】" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contracts:document", args=[contract.pk]))
    document = Document.objects.get(object_id=contract.pk)
    assert document.status == "ready", document.error
    path = tmp_path / "own.pdf"
    path.write_bytes(document.file.read())
    text = subprocess.run(  # noqa: S603 (our own temporary file)
        ["/usr/bin/pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<script>alert(1)</script>不得扣减报酬。" in re.sub(r"\n", "", text)


def test_only_while_the_sides_negotiate_and_only_for_those_who_keep_the_contract(co, client):
    signed = put_contract_in_state(S.SIGNED, keeper=co.keeper, supervisor=co.supervisor, org=co.org)
    client.force_login(co.keeper)
    refused = write(client, signed)
    assert refused.status_code == 200
    assert "只有在起草或协商阶段才能修改合同内容" in refused.content.decode()
    assert not ContractClause.objects.filter(contract=signed, template__isnull=True).exists()
    client.force_login(co.street_coordinator)
    assert write(client, signed).status_code == 404
    url = reverse("contracts:own_clause_add", args=[signed.pk])
    assert client.get(url).status_code == 404


def test_a_renewal_carries_the_own_clause(co, client):
    expired = put_contract_in_state(
        S.EXPIRED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    ContractClause.objects.create(
        contract=expired,
        own_chapter="talks",
        own_title="联络员",
        own_text="双方各指定一名联络员。",
        position=1,
    )
    renewal = contract_renew(actor=co.keeper, contract_id=expired.pk)
    assert "双方各指定一名联络员。" in latest_text(renewal)
