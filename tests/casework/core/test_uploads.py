"""Evidence files are judged by their content, never by their name or the browser's word."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casework.core.uploads import check_evidence_file

# A minimal but well-formed one-page PDF.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(fmt: str, size=(120, 90)) -> bytes:
    # Noise, so the file has a real body of compressed data (a flat colour compresses to ~nothing).
    image = Image.effect_noise(size, 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refused_code(file) -> str:
    with pytest.raises(ValidationError) as refused:
        check_evidence_file(file)
    return refused.value.code


@pytest.mark.parametrize(
    ("fmt", "name", "content_type"),
    [("JPEG", "工资截图.jpg", "image/jpeg"), ("PNG", "聊天记录.png", "image/png")],
)
def test_a_real_photo_is_accepted_with_its_type_size_and_hash(fmt, name, content_type):
    content = picture(fmt)
    # The browser's claimed type is ignored; the content decides.
    checked = check_evidence_file(upload(name, content, "text/plain"))
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.original_name == name
    # The upload is rewound, ready to be stored whole.
    assert checked.upload.read() == content


def test_html_named_like_a_photo_is_refused():
    file = upload("photo.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    assert refused_code(file) == "bad_type"


def test_a_pdf_named_png_is_accepted_as_a_pdf():
    checked = check_evidence_file(upload("scan.png", PDF, "image/png"))
    assert checked.content_type == "application/pdf"
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()


def test_a_pdf_is_accepted():
    checked = check_evidence_file(upload("劳动合同.pdf", PDF, "application/pdf"))
    assert (checked.content_type, checked.size) == ("application/pdf", len(PDF))


def test_an_empty_file_is_refused():
    assert refused_code(upload("empty.jpg", b"", "image/jpeg")) == "empty"


def test_a_file_over_the_limit_is_refused(settings):
    settings.ANXIN_EVIDENCE_MAX_BYTES = 1024
    at_limit = PDF + b"%" * (1024 - len(PDF))
    assert check_evidence_file(upload("ok.pdf", at_limit)).size == 1024
    over = at_limit + b"%"
    assert refused_code(upload("big.pdf", over)) == "too_large"


def test_a_jpeg_cut_inside_its_header_is_refused():
    content = picture("JPEG")
    assert refused_code(upload("cut.jpg", content[:300], "image/jpeg")) == "damaged"


def test_a_png_cut_in_half_is_refused():
    content = picture("PNG")
    assert refused_code(upload("cut.png", content[: len(content) // 2], "image/png")) == "damaged"


def test_a_picture_whose_body_is_not_an_image_is_refused():
    # JPEG magic bytes followed by text: the signature alone must not let it through.
    file = upload("fake.jpg", b"\xff\xd8\xff" + b"<script>alert(1)</script>" * 10, "image/jpeg")
    assert refused_code(file) == "damaged"


def test_a_jpeg_cut_off_mid_upload_is_refused():
    content = picture("JPEG")
    truncated = content[: len(content) // 2]
    assert refused_code(upload("cut.jpg", truncated, "image/jpeg")) == "damaged"
