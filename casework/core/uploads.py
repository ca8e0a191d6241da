"""Uploaded files checked by their content, never by their name (evidence, signed copies),
and the form field that takes several at once."""

import hashlib
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError
from pillow_heif import register_heif_opener

# HEIC is what iPhones take by default: decode it like any other picture (a worker should not
# have to convert a photo of their payslip), so that a file that merely claims to be HEIC, or
# one too large to decode, is refused. The original is stored as sent.
register_heif_opener()

# (magic bytes at offset, offset, content type)
_SIGNATURES = [
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
]
_PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
    "image/heic": "HEIF",
}


_decoding_lock = threading.Lock()


@contextmanager
def _strict_decoding():
    """Decode with truncated images refused, whatever another library set process-wide.

    WeasyPrint sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True when it is imported, which
    would let a photo cut off mid-upload pass this check once a PDF has been rendered.
    """
    with _decoding_lock, warnings.catch_warnings():
        # Pillow only warns between its limit and twice it: ANXIN_IMAGE_MAX_PIXELS decides.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _too_many_pixels(name: str, size: tuple[int, int] | None) -> ValidationError:
    megapixels = settings.ANXIN_IMAGE_MAX_PIXELS // 1_000_000
    if size is None:
        message = _(
            "%(name)s is too large a picture. Please send a picture of at most "
            "%(megapixels)s megapixels."
        ) % {"name": name, "megapixels": megapixels}
    else:
        message = _(
            "%(name)s is too large a picture (%(width)s × %(height)s pixels). "
            "Please send a picture of at most %(megapixels)s megapixels."
        ) % {"name": name, "width": size[0], "height": size[1], "megapixels": megapixels}
    return ValidationError(message, code="too_many_pixels")


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    content_type: str
    size: int
    sha256: str
    original_name: str


def sniff_content_type(head: bytes) -> str | None:
    for magic, offset, content_type in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"mif1", b"msf1", b"hevc"}:
        return "image/heic"
    return None


def check_evidence_file(upload) -> CheckedFile:
    """Accept an image (JPEG, PNG, GIF, WebP, HEIC) or a PDF of at most the configured size."""
    name = (getattr(upload, "name", "") or "file")[-200:]
    if upload.size > settings.ANXIN_EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": name, "limit": filesizeformat(settings.ANXIN_EVIDENCE_MAX_BYTES)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(32)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(
            _("%(name)s is not a photo or a PDF. Please upload pictures or PDF files.")
            % {"name": name},
            code="bad_type",
        )
    if content_type in _PILLOW_FORMATS:
        upload.seek(0)
        try:
            with _strict_decoding(), Image.open(upload) as image:
                if image.format != _PILLOW_FORMATS[content_type]:
                    raise ValidationError(_("%(name)s is damaged.") % {"name": name})
                # The header gives the size: refuse before decoding what would fill the memory.
                if image.width * image.height > settings.ANXIN_IMAGE_MAX_PIXELS:
                    raise _too_many_pixels(name, image.size)
                # verify() reads only the header of a JPEG: a photo cut off mid-upload passes it.
                # Decoding every pixel catches truncation.
                image.load()
        except Image.DecompressionBombError as exc:  # beyond twice Pillow's own limit
            raise _too_many_pixels(name, None) from exc
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise ValidationError(
                _("%(name)s is damaged or not a real picture.") % {"name": name}, code="damaged"
            ) from exc
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        upload=upload,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        original_name=name,
    )


def accepts_uploads(setting: str = "ANXIN_MAX_REQUEST_BYTES"):
    """Mark a view that takes files: its request body may be as large as the named setting.

    Every other view takes at most ANXIN_MAX_FORM_BYTES; config/edge.py refuses anything larger
    with 413 before the body is read.
    """

    def decorate(view):
        view.anxin_body_limit_setting = setting
        return view

    return decorate


def body_limit_for(view) -> int:
    setting = getattr(view, "anxin_body_limit_setting", None)
    return getattr(settings, setting) if setting else settings.ANXIN_MAX_FORM_BYTES


def request_too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > settings.ANXIN_MAX_REQUEST_BYTES
    except ValueError:
        return True


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once, each checked by content."""

    widget = MultipleFileInput(attrs={"accept": "image/*,application/pdf"})

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_evidence_file(super().clean(upload, initial)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


def private_file_response(stored, *, content_type: str = "", filename: str = "", download=False):
    """Serve an uploaded file (evidence, a signature scan) to someone a selector allowed: never
    as a web page (sandboxed, no sniffing) and out of every cache, the browser's included. A
    file missing from storage answers 404. `content_type` empty: sniffed from its first bytes."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if not content_type:
        content_type = sniff_content_type(handle.read(16)) or "application/octet-stream"
        handle.seek(0)
    response = FileResponse(
        handle, content_type=content_type, as_attachment=download, filename=filename or None
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response
