"""Every document is signed with the bureau's key (PAdES): it verifies with pyHanko, one
changed byte breaks it, and the public verification page says so in words."""

import hashlib
import io
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from mediation.documents.choices import DocumentStatus
from mediation.documents.local_ca import SIGNER_NAME
from mediation.documents.rendering import render_pdf
from mediation.models import Document
from tests.mediation.conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]


def _document(agreement) -> Document:
    return Document.objects.get(object_id=agreement.pk, kind="agreement")


def _pyhanko_status(content: bytes, ca):
    """What any PAdES reader concludes, trusting only the test run's CA."""
    from pyhanko.keys import load_certs_from_pemder

    roots = list(load_certs_from_pemder([str(path) for path in ca.chain]))
    signature = PdfFileReader(io.BytesIO(content)).embedded_signatures[0]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    return validate_pdf_signature(signature, signer_validation_context=context)


def _flip_one_signed_byte(content: bytes) -> bytes:
    """One byte changed inside the signed range (a digit of the page's text stream), the
    signature itself left alone."""
    signature = PdfFileReader(io.BytesIO(content)).embedded_signatures[0]
    start, length, _second_start, _second_length = signature.byte_range
    position = start + length // 2
    assert position < start + length
    changed = bytearray(content)
    changed[position] ^= 0x01
    return bytes(changed)


def test_a_signed_agreement_verifies_with_pyhanko_and_one_changed_byte_breaks_it(
    agreement, signing_ca
):
    document = _document(agreement)
    assert document.status == DocumentStatus.READY
    content = document.file.read()

    status = _pyhanko_status(content, signing_ca)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == SIGNER_NAME

    altered = _flip_one_signed_byte(content)
    broken = _pyhanko_status(altered, signing_ca)
    assert not broken.intact and not broken.bottom_line


def test_another_reader_poppler_agrees(agreement, tmp_path):
    """Poppler (pdfsig, the library behind many Linux PDF readers) reads the same."""
    content = _document(agreement).file.read()
    assert "Signature is Valid." in _pdfsig(content, tmp_path)
    assert "Digest Mismatch." in _pdfsig(_flip_one_signed_byte(content), tmp_path)


def _pdfsig(content: bytes, tmp_path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603 (our own temporary file)
        ["/usr/bin/pdfsig", str(path)], capture_output=True, text=True, check=False
    ).stdout


def _verify_page(document, upload: bytes | None = None):
    """The public verification page as a reader in Chinese sees it."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    url = reverse("mediation:verify", args=[document.code])
    if upload is None:
        return client.get(url)
    file = SimpleUploadedFile("协议.pdf", upload, content_type="application/pdf")
    return client.post(url, {"file": file})


def test_the_verification_page_says_in_words_who_signed_it_when_and_that_it_is_intact(
    agreement,
):
    document = _document(agreement)
    page = _verify_page(document).content.decode()
    assert "我们签发的文书的数字签名：" in page
    assert f"由 {SIGNER_NAME} 于 2026-04-13 10:00（北京时间）进行数字签名" in page
    assert "签名完好" in page

    same = _verify_page(document, upload=document.file.read()).content.decode()
    assert "签名完好" in same and "您的副本的数字签名" not in same


def test_the_verification_page_says_a_copy_changed_after_signing_is_broken(agreement):
    document = _document(agreement)
    altered = _flip_one_signed_byte(document.file.read())
    response = _verify_page(document, upload=altered)
    assert response.status_code == 409
    page = response.content.decode()
    assert "您的副本的数字签名：" in page
    assert "数字签名已被破坏：文件在签名后被改动过" in page


def test_the_verification_page_says_a_copy_signed_with_another_key_is_not_ours(agreement, tmp_path):
    """Someone signs the copy again with a certificate of their own: their signature is
    intact, but it is not the bureau's, and the page says so."""
    from mediation.documents.local_ca import create_local_ca

    document = _document(agreement)
    forger = create_local_ca(tmp_path / "forger")
    forged = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(document.file.read())),
        signers.PdfSignatureMetadata(field_name="Forged", md_algorithm="sha256"),
        signer=signers.SimpleSigner.load(str(forger.key), str(forger.cert)),
    ).getvalue()
    response = _verify_page(document, upload=forged)
    assert response.status_code == 409
    assert "这不是本局的证书" in response.content.decode()


def test_a_file_that_is_not_a_pdf_is_told_so_without_an_error(agreement):
    document = _document(agreement)
    response = _verify_page(document, upload=b"\x00\xff not a pdf at all" * 100)
    assert response.status_code == 409
    assert "无法从此文件读取数字签名" in response.content.decode()


def test_make_run_creates_the_local_test_ca_once_and_says_so(settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    settings.ANXIN_SIGNING_LOCAL_CA = True
    settings.ANXIN_SIGNING_KEY = str(tmp_path / "signing" / "bureau-key.pem")
    settings.ANXIN_SIGNING_CERT = str(tmp_path / "signing" / "bureau-cert.pem")
    settings.ANXIN_SIGNING_CHAIN = [str(tmp_path / "signing" / "ca-cert.pem")]
    first, second = StringIO(), StringIO()
    call_command("signing_setup", stdout=first)
    call_command("signing_setup", stdout=second)
    assert "local test certificate authority, created now" in first.getvalue()
    assert second.getvalue() == ""
    assert (tmp_path / "signing" / "bureau-key.pem").stat().st_mode & 0o077 == 0


def test_a_document_issued_before_signing_says_so_and_still_compares(agreement):
    document = _document(agreement)
    unsigned = render_pdf(
        template_name="documents/base.html", context={}, code=document.code, verify_url="x"
    ).content
    document.file.save(f"{document.code}-old.pdf", ContentFile(unsigned), save=False)
    document.sha256 = hashlib.sha256(unsigned).hexdigest()
    document.save(update_fields=["file", "sha256"])
    page = _verify_page(document).content.decode()
    assert 'notice-warning" role="status" data-signature="predates"' in page
    assert "本文书签发于启用数字签名之前" in page
    same = _verify_page(document, upload=unsigned)
    assert same.status_code == 200 and same.context["result"].file_matches is True
