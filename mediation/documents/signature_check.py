"""Checking the bureau's signature on a PDF: intact or not, by whom, when, in words.

Used by the public verification page, on the file we issued and on a copy a reader uploads.
An uploaded file is anything at all: whatever pyHanko cannot read is "no readable signature",
never an error page. Nothing is fetched from the network (no OCSP, no CRL): the trust anchors
are the configured certificate chain.
"""

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from mediation.documents.signing import outside_event_loop, trust_anchors

log = logging.getLogger(__name__)

INTACT = "intact"  # signed by the bureau's certificate, not one byte changed since
BROKEN = "broken"  # the file changed after it was signed
ADDED_TO = "added_to"  # the signed part is intact, but something was appended after signing
FOREIGN = "foreign"  # a valid signature, but not made with the bureau's certificate
UNSIGNED = "unsigned"  # no signature in the file
UNREADABLE = "unreadable"  # not a PDF pyHanko can read
PREDATES = "predates"  # a document we issued before documents were signed

WORDS = {
    INTACT: _(
        "Digitally signed by %(signer)s on %(when)s (Beijing time). The signature is intact: "
        "not one byte has changed since it was signed."
    ),
    BROKEN: _(
        "The digital signature is broken: the file was changed after it was signed. "
        "Do not rely on it."
    ),
    ADDED_TO: _(
        "The part signed by %(signer)s on %(when)s (Beijing time) is intact, but something was "
        "added to the file after it was signed. Do not rely on the additions."
    ),
    FOREIGN: _(
        "The file carries a digital signature of %(signer)s, which is not the bureau's "
        "certificate. Do not rely on it."
    ),
    UNSIGNED: _("The file carries no digital signature."),
    UNREADABLE: _("No digital signature could be read from this file."),
    PREDATES: _(
        "This document was issued before documents were signed digitally: upload your copy "
        "below to compare it with ours byte for byte."
    ),
}


@dataclass(frozen=True)
class SignatureReport:
    state: str
    signer: str = ""
    signed_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.state == INTACT

    @property
    def tone(self) -> str:
        return "ok" if self.ok else "danger"

    @property
    def words(self) -> str:
        when = ""
        if self.signed_at is not None:
            when = timezone.localtime(self.signed_at).strftime("%Y-%m-%d %H:%M")
        return WORDS[self.state] % {"signer": self.signer, "when": when}


def _signer_name(cert) -> str:
    subject = cert.subject.native
    name = subject.get("common_name") or subject.get("organization_name")
    return name or cert.subject.human_friendly


def signature_report(content: bytes) -> SignatureReport:
    """The state of the last signature in `content` (ours is the last one we add)."""
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # any malformed upload: there is no signature we can read
        log.info("An uploaded file could not be read as a PDF", exc_info=True)
        return SignatureReport(UNREADABLE)
    if not signatures:
        return SignatureReport(UNSIGNED)
    embedded = signatures[-1]
    roots, others = trust_anchors()
    context = ValidationContext(
        trust_roots=roots, other_certs=others, allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = outside_event_loop(
            validate_pdf_signature, embedded, signer_validation_context=context
        )
    except Exception:  # a damaged signature dictionary is a broken signature
        log.info("A signature could not be validated", exc_info=True)
        return SignatureReport(BROKEN)
    signer = _signer_name(status.signing_cert)
    signed_at = status.signer_reported_dt
    if not (status.intact and status.valid):
        return SignatureReport(BROKEN, signer=signer, signed_at=signed_at)
    if not status.trusted:
        return SignatureReport(FOREIGN, signer=signer, signed_at=signed_at)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureReport(ADDED_TO, signer=signer, signed_at=signed_at)
    return SignatureReport(INTACT, signer=signer, signed_at=signed_at)
