"""The contract as a PDF through the documents pipeline: the "generate PDF" action, what the
printed contract says, who may download it, and what the public verification page shows."""

import subprocess

import pytest
from django.urls import reverse

from mediation.contracts.documents import KIND_KEY, public_summary
from mediation.documents.registry import kind_for
from mediation.models import Document
from tests.contracts.builders import TODAY, make_contract_org, put_contract_in_state
from tests.mediation.conftest import PACKAGED_FACES, embedded_fonts

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=15)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def co(db):
    return make_contract_org()


@pytest.fixture
def contract(co):
    return put_contract_in_state("in_force", keeper=co.keeper, supervisor=co.supervisor, org=co.org)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "contract.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603 (our own temporary file)
        ["/usr/bin/pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_kind_is_registered_with_the_pipeline():
    kind = kind_for(KIND_KEY)
    assert kind.template_name == "documents/collective_contract.html"


def test_generate_pdf_prints_chapters_clauses_chiefs_and_filing(
    co, contract, client, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(co.keeper)
    detail = reverse("contracts:detail", args=[contract.pk])
    assert reverse("contracts:document", args=[contract.pk]) in client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contracts:document", args=[contract.pk]))
    assert response.status_code == 302
    document = Document.objects.get(kind=KIND_KEY, object_id=contract.pk)
    assert document.status == "ready", document.error
    content = document.file.read()
    text = pdf_text(content, tmp_path)
    for expected in (
        "集体合同",
        contract.title,
        "第一章 劳动报酬与最低收入保障",
        "第一条",
        "每小时不低于25元",
        "工会代表1（首席代表）",
        "平台公司代表1（首席代表）",
        "职工方首席代表",
        "用人单位方首席代表",
        "报送与审查",
        document.code,
    ):
        assert expected in text.replace("\n", ""), expected
    # set in the two packaged faces and nothing of the machine's, like every document
    assert embedded_fonts(content, tmp_path) == PACKAGED_FACES
    # The page lists the document; someone who may not see the contract cannot download it.
    assert document.code in client.get(detail).content.decode()
    download = reverse("mediation:download", args=[document.pk])
    assert client.get(download).status_code == 200
    client.force_login(co.street_coordinator)
    assert client.get(download).status_code == 404


def test_the_public_summary_names_no_person(contract):
    summary = public_summary(contract)
    text = " ".join(str(value) for value in summary.values())
    assert contract.title in text
    assert "2026-01-01" in text
    for person in contract.representatives.all():
        assert person.name not in text
