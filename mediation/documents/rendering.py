"""HTML template to PDF/A-3b with WeasyPrint, loading nothing but our own static files and the
document fonts."""

import hashlib
import time
from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from mediation.documents.fetcher import BASE_URL, SafeURLFetcher
from mediation.documents.fonts import require_fonts


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int
    seconds: float

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, the one image format the fetcher lets through."""
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)


def render_pdf(*, template_name: str, context: dict, code: str, verify_url: str) -> RenderedPdf:
    require_fonts()
    started = time.perf_counter()
    # Documents are legal texts in Chinese, whoever clicked the button.
    with translation.override("zh-hans"):
        html = render_to_string(
            template_name,
            {
                **context,
                "document_code": code,
                "verify_url": verify_url,
                "qr_code": qr_data_uri(verify_url),
            },
        )
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).render()
    content = document.write_pdf(pdf_variant="pdf/a-3b")
    return RenderedPdf(
        content=content, pages=len(document.pages), seconds=time.perf_counter() - started
    )
