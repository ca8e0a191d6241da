"""What a contract's clauses say, as the drafter and the printed contract show them: who bears
the duties of an industry contract, previews with real names and figures (never {code}),
figures that make sense, and chapter headings said once."""

import importlib
import re
import subprocess

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from casework.management.commands.seed_demo import seed_demo
from mediation.contracts.choices import ContractState
from mediation.contracts.demo import seed_demo_contracts
from mediation.contracts.models import ClauseTemplate, CollectiveContract, ContractClause
from mediation.contracts.rendering import render_chapters
from mediation.contracts.services.terms import contract_create
from mediation.models import Document
from tests.contracts.builders import (
    TODAY,
    add_clause,
    make_contract_org,
    platform_terms,
    regional_terms,
    template,
)

S = ContractState
pytestmark = pytest.mark.now(TODAY, hour=15)
LIBRARY_CODE = re.compile(r"\{[a-z][a-z0-9_]*\}")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def co(db):
    return make_contract_org()


def pdf_text_of(client, contract, tmp_path, capture) -> str:
    """Generate the contract's PDF through its page, as a keeper does, and read its text."""
    with capture(execute=True):
        client.post(reverse("contracts:document", args=[contract.pk]))
    document = Document.objects.filter(object_id=contract.pk).order_by("-pk").first()
    assert document.status == "ready", document.error
    path = tmp_path / f"contract-{contract.pk}.pdf"
    path.write_bytes(document.file.read())
    text = subprocess.run(  # noqa: S603 (our own temporary file)
        ["/usr/bin/pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", "", text)


def regional_contract(co):
    contract = contract_create(actor=co.keeper, terms=regional_terms(co.org))
    for key in ("general-purpose", "hourly-floor", "settlement-day", "term-and-change"):
        add_clause(contract, co.keeper, key)
    return contract


# --- An industry contract binds the member enterprises ------------------------------------


def test_an_industry_contract_puts_the_duties_on_the_member_enterprises_in_the_pdf(
    co, client, tmp_path, django_capture_on_commit_callbacks
):
    contract = regional_contract(co)
    client.force_login(co.keeper)
    text = pdf_text_of(client, contract, tmp_path, django_capture_on_commit_callbacks)
    association = "东城街道外卖配送行业协会"
    # the association signs and bargains ...
    assert f"用人单位方{association}" in text
    assert f"东城街道总工会与{association}经平等协商" in text
    # ... but the member enterprises pay, guarantee the floor and are bound
    assert f"{association}各成员企业应于每月15日前足额支付上月报酬" in text
    assert f"由{association}各成员企业在结算时补足" in text
    assert f"履行义务的企业{association}各成员企业" in text
    assert f"{association}应于每月" not in text, "the association named as the payer"
    assert f"{association}保障劳动者" not in text


def test_a_platform_contract_still_names_the_company(co, client):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    add_clause(contract, co.keeper, "settlement-day")
    company = contract.employer_party
    client.force_login(co.keeper)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert f"{company}应于每月15日前足额支付上月报酬" in page
    assert "各成员企业" not in page and "履行义务的企业" not in contract.versions.first().text


# --- No page shows a {placeholder} --------------------------------------------------------


def pages_of(contract, clause) -> list[str]:
    return [
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:clause_add", args=[contract.pk]),
        *[
            f"{reverse('contracts:clause_add', args=[contract.pk])}?template={t.pk}"
            for t in ClauseTemplate.objects.filter(is_active=True)
        ],
        reverse("contracts:clause_edit", args=[contract.pk, clause.pk]),
        reverse("contracts:own_clause_add", args=[contract.pk]),
        reverse("contracts:version", args=[contract.pk, 1]),
        reverse("contracts:version", args=[contract.pk, contract.versions.count()]),
        f"{reverse('contracts:diff', args=[contract.pk])}?old=1&new={contract.versions.count()}",
    ]


@pytest.mark.parametrize("kind", ["platform", "regional"])
def test_no_page_or_preview_shows_a_placeholder(
    co, client, kind, tmp_path, django_capture_on_commit_callbacks
):
    if kind == "platform":
        contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
        for key in ("general-purpose", "hourly-floor", "algorithm-consultation"):
            add_clause(contract, co.keeper, key)
    else:
        contract = regional_contract(co)
    clause = contract.clauses.first()
    client.force_login(co.keeper)
    for url in pages_of(contract, clause):
        response = client.get(url)
        assert response.status_code == 200, url
        found = LIBRARY_CODE.findall(response.content.decode())
        assert not found, f"{url} shows {found}"
    text = pdf_text_of(client, contract, tmp_path, django_capture_on_commit_callbacks)
    assert not LIBRARY_CODE.findall(text)


def test_the_clause_preview_reads_with_the_contracts_names_and_default_figures(co, client):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    client.force_login(co.keeper)
    url = reverse("contracts:clause_add", args=[contract.pk])
    page = client.get(url, {"template": template("hourly-floor").pk}).content.decode()
    assert f"{contract.employer_party}保障劳动者在线接单时段的劳动报酬每小时不低于25元" in page
    library = client.get(url).content.decode()
    assert f"{contract.employer_party}应于每月15日前足额支付" in library


def test_a_placeholder_the_clause_has_no_value_for_prints_as_a_blank(co):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    clause = add_clause(contract, co.keeper, "settlement-day")
    # an admin later adds a figure to the library text that the agreed clause has no value for
    ClauseTemplate.objects.filter(pk=clause.template_id).update(
        text="{enterprise}每月{settlement_day}日前支付，逾期{fare_refund_days}日内补足。"
    )
    clauses = list(ContractClause.objects.filter(contract=contract).select_related("template"))
    text = render_chapters(contract, clauses)[0].clauses[0].text
    assert text == f"{contract.employer_party}每月15日前支付，逾期＿＿＿＿日内补足。"


# --- Figures that make sense --------------------------------------------------------------


def test_the_demo_clauses_say_nothing_like_at_most_zero_yuan(db):
    seed_demo()
    seed_demo_contracts()
    for contract in CollectiveContract.objects.all():
        text = contract.versions.order_by("-number").first().text
        assert not re.search(r"不超过0(\.0+)?[元%]", text), contract.title
        assert not re.search(r"不低于0(\.0+)?[元%]", text), contract.title
    platform = CollectiveContract.objects.get(company__isnull=False)
    assert "不以配送超时为由扣减劳动者报酬" in platform.versions.order_by("-number").first().text


@pytest.mark.parametrize(
    ("key", "name", "words"),
    [
        ("late-deduction", "late_deduction_cap", "取消超时扣款"),
        ("commission-cap", "commission_cap_percent", "自拟条款"),
    ],
)
def test_a_cap_of_zero_is_refused_with_the_way_to_say_it_instead(co, client, key, name, words):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    client.force_login(co.keeper)
    response = client.post(
        reverse("contracts:clause_add", args=[contract.pk]),
        {"template": template(key).pk, name: "0"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "文意不通" in page and words in page
    assert not contract.clauses.exists()


def test_a_zero_cap_agreed_before_the_rule_is_flagged_while_it_can_be_changed(co, client):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    clause = add_clause(contract, co.keeper, "late-deduction")
    ContractClause.objects.filter(pk=clause.pk).update(values={"late_deduction_cap": "0.00"})
    client.force_login(co.keeper)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "每单超时扣款不超过0元" in page
    assert "文意不通" in page and "取消超时扣款" in page


def test_the_migration_moves_a_first_seeded_library_to_the_current_texts(db):
    migration = importlib.import_module(
        "mediation.contracts.migrations.0005_contracts_duties_on_enterprises"
    )
    settlement = template("settlement-day")
    current = settlement.text
    ClauseTemplate.objects.filter(key="settlement-day").update(text=migration.first_text(current))
    ClauseTemplate.objects.filter(key="late-deduction").update(
        parameters={"late_deduction_cap": "0.00"}, position=1
    )
    ClauseTemplate.objects.filter(key="appeal").update(text="管理员改写过的文字{enterprise}")
    migration.backwards(django_apps, None)
    assert "{employer}应于每月" in template("settlement-day").text
    assert not ClauseTemplate.objects.filter(key="no-late-deduction").exists()
    migration.forwards(django_apps, None)
    assert template("settlement-day").text == current
    assert template("late-deduction").parameters == {"late_deduction_cap": "2.00"}
    assert template("no-late-deduction").text.startswith("{enterprise}不以配送超时")
    assert template("appeal").text == "管理员改写过的文字{enterprise}", "an edited text changed"


# --- Chapter headings said once -----------------------------------------------------------


def test_a_chapter_heading_is_said_once_on_the_page_and_in_the_pdf(
    co, client, tmp_path, django_capture_on_commit_callbacks
):
    contract = regional_contract(co)
    client.force_login(co.keeper)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    flat = re.sub(r"<[^>]+>|\s+", "", page)
    assert "第一章总则" in flat
    assert "总则总则" not in flat
    assert "劳动报酬与最低收入保障劳动报酬" not in flat
    text = pdf_text_of(client, contract, tmp_path, django_capture_on_commit_callbacks)
    assert text.count("第一章总则") == 1 and "总则总则" not in text
    # a reader of English gets the chapter's name in English beside the Chinese heading
    client.cookies["django_language"] = "en"
    english = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "General provisions" in english
