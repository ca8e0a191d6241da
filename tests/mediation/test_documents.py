"""Rendered documents: their content, their fonts, who may download them, how they verify."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mediation.documents.choices import DocumentStatus
from mediation.documents.codes import new_code, normalise_code
from mediation.documents.fetcher import BASE_URL, RefusedURL, SafeURLFetcher
from mediation.documents.registry import DocumentKind, kind_for, register
from mediation.documents.rendering import render_pdf
from mediation.documents.services import document_request, document_retry
from mediation.models import Document
from tests.factories.cases import make_case_worker
from tests.factories.organisation import make_staff
from tests.mediation.conftest import (
    PACKAGED_FACES,
    TODAY,
    embedded_fonts,
    hold,
    pdf_metadata,
    pdf_text,
    terms_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]


def _document(agreement) -> Document:
    return Document.objects.get(object_id=agreement.pk, kind="agreement")


# The fetcher ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/style.css",
        "ftp://example.com/x",
        BASE_URL + "static/../../config/settings.py",
        BASE_URL + "static/%2e%2e/%2e%2e/manage.py",
        BASE_URL + "etc/passwd",
        BASE_URL + "static/no-such-file.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files_and_data(url):
    with pytest.raises(RefusedURL):
        SafeURLFetcher().fetch(url)


def test_the_fetcher_serves_our_stylesheet_and_data_uris():
    css = SafeURLFetcher().fetch(BASE_URL + "static/documents/document.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    data = SafeURLFetcher().fetch("data:text/plain;base64,5a6J6Jaq")
    assert data.read().decode() == "安薪"


def test_paths_written_into_user_text_are_printed_not_loaded(
    org, verifying_case, tmp_path, django_capture_on_commit_callbacks
):
    hostile = (
        '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://169.254.169.254/">'
        " url(file:///etc/hostname) /etc/passwd"
    )
    hold(org, verifying_case)
    from mediation.services.agreements import agreement_draw_up

    with django_capture_on_commit_callbacks(execute=True):
        agreement = agreement_draw_up(
            actor=org.a.mediator,
            terms=terms_for(verifying_case, facts=hostile),
            case_id=verifying_case.pk,
        )
    document = _document(agreement)
    assert document.status == DocumentStatus.READY
    text = pdf_text(document.file.read(), tmp_path)
    assert "file:///etc/passwd" in text  # shown as the text it is
    assert "root:x:0:0" not in text


def test_even_a_template_that_asks_for_a_local_file_gets_nothing(tmp_path, settings):
    # A template (not user text) naming local and remote resources: the fetcher refuses them
    # and the document still renders, without their content.
    template_dir = tmp_path / "templates"
    (template_dir / "documents").mkdir(parents=True)
    (template_dir / "documents" / "hostile.html").write_text(
        '{% extends "documents/base.html" %}{% block content %}'
        '<img src="file:///etc/passwd"><iframe src="file:///etc/passwd"></iframe>'
        '<object data="file:///etc/passwd"></object><p>正文</p>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    rendered = render_pdf(
        template_name="documents/hostile.html", context={}, code=new_code(), verify_url="https://x/"
    )
    text = pdf_text(rendered.content, tmp_path)
    assert "正文" in text and "root:" not in text


# Content and fonts ------------------------------------------------------------------------


def test_the_agreement_pdf_names_the_parties_and_the_amounts(agreement, org, tmp_path):
    document = _document(agreement)
    text = pdf_text(document.file.read(), tmp_path)
    assert "调解协议书" in text
    assert "张师傅" in text
    assert org.platform.name in text
    assert "王经理" in text
    assert "2,400.00" in text and "1,200.00" in text
    # drawn up on 13 April 2026: paid in two halves a week and three weeks later, in full
    # within thirty days
    assert "2026年4月20日" in text and "2026年5月4日" in text and "2026年5月13日" in text
    assert document.code in text
    assert agreement.lines.get().case.reference in text


def test_the_pdf_is_set_in_the_packaged_fonts_and_is_pdf_a(agreement, tmp_path):
    content = _document(agreement).file.read()
    # Only the two faces of the wheel, embedded (PDF/A requires it) as subsets with a Unicode
    # map: no font of the machine's, so the document is the same everywhere.
    assert embedded_fonts(content, tmp_path) == PACKAGED_FACES
    # and the text reads back as the Chinese that was written
    text = "".join(pdf_text(content, tmp_path).split())
    assert "申请人于2026年3月为被申请人配送订单，配送费3000元未结算。" in text
    assert "申请人放弃其余600元的请求。" in text
    metadata = pdf_metadata(content, tmp_path)
    assert "pdfaid" in metadata and "3" in metadata.split("pdfaid:part")[1][:8], metadata


# Downloads --------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_parties_and_staff_on_the_case_can_download(agreement, org):
    url = reverse("mediation:download", args=[_document(agreement).pk])
    for user in (org.worker, org.representative, org.a.mediator, org.a.coordinator, org.supervisor):
        response = _client(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content)[:5] == b"%PDF-"


def test_others_get_404_and_strangers_are_sent_to_sign_in(agreement, org):
    url = reverse("mediation:download", args=[_document(agreement).pk])
    stranger = make_case_worker("王师傅")
    other_rep_staff = make_staff(display_name="他人")
    for user in (org.other_worker, stranger, org.b.mediator, org.b.coordinator, other_rep_staff):
        assert _client(user).get(url).status_code == 404, user
    assert Client().get(url).status_code == 302
    assert _client(org.worker).get(reverse("mediation:download", args=[999999])).status_code == 404


# Failure and retry ------------------------------------------------------------------------


def test_a_failed_rendering_shows_failed_and_can_be_retried(
    agreement, org, django_capture_on_commit_callbacks
):
    real = kind_for("agreement")
    broken = DocumentKind(**{**real.__dict__, "template_name": "documents/missing.html"})
    register(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            document = document_request(
                actor=org.a.mediator, subject=agreement, kind_key="agreement"
            )
        document.refresh_from_db()
        assert document.status == DocumentStatus.FAILED
        page = _client(org.a.mediator).get(
            reverse("mediation:page", args=["case", agreement.case_id])
        )
        assert (
            "Preparing the PDF failed" in page.content.decode() or "失败" in page.content.decode()
        )
    finally:
        register(real)
    with django_capture_on_commit_callbacks(execute=True):
        document_retry(actor=org.a.mediator, document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.attempts == 2


# Verification -----------------------------------------------------------------------------


def test_the_verification_page_confirms_a_real_document_without_personal_data(agreement):
    document = _document(agreement)
    client = Client()
    page = client.get(reverse("mediation:verify", args=[document.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert document.sha256 in html
    assert "张师傅" not in html and "2400" not in html and "2,400" not in html

    upload = SimpleUploadedFile("mine.pdf", document.file.open("rb").read(), "application/pdf")
    same = client.post(reverse("mediation:verify", args=[document.code]), {"file": upload})
    assert same.status_code == 200
    assert same.context["result"].file_matches is True


def test_the_verification_page_refuses_an_altered_or_forged_document(agreement):
    document = _document(agreement)
    content = bytearray(document.file.open("rb").read())
    content[len(content) // 2] ^= 0x01
    altered = SimpleUploadedFile("altered.pdf", bytes(content), "application/pdf")
    response = Client().post(reverse("mediation:verify", args=[document.code]), {"file": altered})
    assert response.status_code == 409
    assert response.context["result"].genuine is False

    forged = Client().get(reverse("mediation:verify", args=[new_code()]))
    assert forged.status_code == 404
    assert forged.context["result"].genuine is False
    nonsense = Client().get("/documents/verify/%3Cscript%3Ealert(1)%3C%2Fscript%3E/")
    assert nonsense.status_code == 404


def test_codes_survive_being_typed_from_paper():
    code = new_code()
    assert normalise_code(code.lower().replace("-", " ")) == code
    assert normalise_code("O0O0-IL1I-0000-0000") == "0000-1111-0000-0000"
    assert normalise_code("short") is None
    typed = Client().get(reverse("mediation:verify_form"), {"code": code.lower()})
    assert typed.status_code == 302 and typed["Location"].endswith(f"/{code}/")


def test_rendering_pdfs_does_not_weaken_the_evidence_check():
    # WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process when imported.
    import io

    import weasyprint  # noqa: F401
    from django.core.exceptions import ValidationError
    from PIL import Image, ImageFile

    from casework.core.uploads import check_evidence_file

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG")
    cut = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    with pytest.raises(ValidationError):
        check_evidence_file(SimpleUploadedFile("cut.jpg", cut, "image/jpeg"))


def test_the_worker_finds_the_agreement_on_their_case_page(agreement, org):
    page = _client(org.worker).get(reverse("casework:case_detail", args=[agreement.case_id]))
    assert page.status_code == 200
    assert reverse("mediation:download", args=[_document(agreement).pk]) in page.content.decode()
    other = _client(org.other_worker).get(reverse("casework:case_detail", args=[agreement.case_id]))
    assert other.status_code == 404
