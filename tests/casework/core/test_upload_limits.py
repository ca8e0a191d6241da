"""Pictures are refused by their decoded size before they are decoded, and HEIC is decoded."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from casework.core.uploads import check_evidence_file


def png(size, mode="1") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def heic(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, "HEIF")
    return buffer.getvalue()


def refusal(content: bytes, name="photo") -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        check_evidence_file(SimpleUploadedFile(name, content))
    return refused.value


def test_a_small_file_that_decodes_to_169_megapixels_is_refused_as_too_large():
    content = png((13_000, 13_000))
    assert len(content) < 1024 * 1024, "a small file on disk"
    with translation.override("en"):
        error = refusal(content, "bomb.png")
    assert error.code == "too_many_pixels"
    assert "13000 × 13000" in error.messages[0] and "40 megapixels" in error.messages[0]


def test_the_pixel_cap_is_a_setting(settings):
    settings.ANXIN_IMAGE_MAX_PIXELS = 100 * 100
    assert refusal(png((101, 100), "RGB")).code == "too_many_pixels"
    assert check_evidence_file(SimpleUploadedFile("ok.png", png((100, 100), "RGB")))


def test_a_real_heic_photo_is_decoded_and_kept_as_sent():
    content = heic()
    checked = check_evidence_file(SimpleUploadedFile("IMG_0001.HEIC", content))
    assert checked.content_type == "image/heic"
    assert checked.upload.read() == content


def test_bytes_that_only_claim_to_be_heic_are_refused():
    fake = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"not a picture" * 100
    assert refusal(fake, "fake.heic").code == "damaged"


def test_a_heic_too_large_to_decode_is_refused(settings):
    settings.ANXIN_IMAGE_MAX_PIXELS = 32 * 32
    assert refusal(heic((64, 48)), "big.heic").code == "too_many_pixels"
