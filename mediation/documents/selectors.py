"""Reads of documents: a subject's documents, a download, the public verification."""

import hashlib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from mediation.documents.choices import DocumentStatus
from mediation.documents.codes import normalise_code
from mediation.documents.models import Document
from mediation.documents.registry import PublicStatus, UnknownDocumentKind, kind_for
from mediation.documents.services import DocumentNotFound
from mediation.documents.signature_check import (
    PREDATES,
    UNREADABLE,
    UNSIGNED,
    SignatureReport,
    signature_report,
)

SIGNATURE_CACHE_SECONDS = 3600


def documents_for_subject(*, user, subject, kind_key: str) -> list[Document]:
    """The subject's documents, newest first, when the user may download them."""
    if not kind_for(kind_key).can_download(user, subject):
        return []
    return documents_by_subject([subject], kind_key=kind_key)[subject.pk]


def documents_by_subject(subjects, *, kind_key: str, per_subject: int = 10) -> dict:
    """{subject pk: its documents, newest first} for subjects the caller has already checked
    the user may read (one query for all of them)."""
    subjects = list(subjects)
    if not subjects:
        return {}
    found: dict[int, list[Document]] = {subject.pk: [] for subject in subjects}
    documents = Document.objects.filter(
        content_type=ContentType.objects.get_for_model(subjects[0]),
        object_id__in=list(found),
        kind=kind_key,
    ).order_by("-requested_at", "-pk")
    for document in documents:
        if len(found[document.object_id]) < per_subject:
            found[document.object_id].append(document)
    return found


def document_get_for_user(*, user, document_id) -> Document:
    """A document the user may have (ready or not); 404 otherwise."""
    try:
        document = Document.objects.get(pk=int(document_id))
    except (Document.DoesNotExist, TypeError, ValueError):
        raise DocumentNotFound from None
    subject = document.subject
    if subject is None or not kind_for(document.kind).can_download(user, subject):
        raise DocumentNotFound
    return document


def document_file_for_user(*, user, document: Document):
    """The copy the user gets: third parties (the employer's side) the one with ID numbers
    masked, when the kind makes one."""
    kind = kind_for(document.kind)
    if (
        document.third_party_file
        and kind.is_third_party is not None
        and kind.is_third_party(user, document.subject)
    ):
        return document.third_party_file
    return document.file


# The public summary's keys, put into words in the reader's language (summaries store keys
# and values without words, so the page reads in one language).
SUMMARY_LABELS = {
    "number": _("Document number"),
    "issuing_body": _("Issued by"),
    "drawn_up": _("Drawn up"),
    "concluded": _("Concluded"),
    "workers": _("Workers"),
    "title": _("Title"),
    "covers": _("Covers"),
    "term": _("Term"),
    "state": _("Status when printed"),
}


@dataclass(frozen=True)
class Verification:
    document: Document | None
    # None: no file presented; True/False: the presented file is / is not the issued one
    file_matches: bool | None = None
    status: PublicStatus | None = None
    # the bureau's signature on the file we issued, and on the copy presented (if any)
    signature: SignatureReport | None = None
    presented_signature: SignatureReport | None = None

    @property
    def genuine(self) -> bool:
        return self.document is not None and self.file_matches is not False

    @property
    def signature_tone(self) -> str:
        """An intact signature reads green only while the document stands: a void agreement's
        signature is still the bureau's, but nothing on the page may look like approval."""
        if self.signature is not None and self.signature.state == PREDATES:
            return "warning"
        if self.signature is None or not self.signature.ok:
            return "danger"
        return "warning" if self.status is not None and self.status.tone == "danger" else "ok"

    @property
    def kind_label(self):
        try:
            return kind_for(self.document.kind).label
        except UnknownDocumentKind:
            return self.document.kind

    @property
    def facts(self) -> list[tuple[str, object]]:
        """(label, value) of the public summary, in the reader's language where we know the
        key (documents printed before summaries stored keys show theirs as they are)."""
        return [
            (SUMMARY_LABELS.get(key, key), value)
            for key, value in self.document.public_summary.items()
            if key != "kind" and value not in ("", None)
        ]


def _public_status(document: Document) -> PublicStatus | None:
    kind = kind_for(document.kind)
    subject = document.subject
    if kind.public_status is None or subject is None:
        if document.superseded_by_id:
            return PublicStatus(
                "warning",
                _("Superseded: a newer version was issued under the code %(code)s.")
                % {"code": document.superseded_by.code},
                newer_code=document.superseded_by.code,
            )
        return None
    return kind.public_status(subject, document)


def document_verify(*, code: str, presented: bytes | None = None) -> Verification:
    """Public: is there a ready document under this code, and is this file that document?"""
    canonical = normalise_code(code)
    if canonical is None:
        return Verification(document=None)
    document = (
        Document.objects.filter(code=canonical, status=DocumentStatus.READY)
        .select_related("superseded_by")
        .first()
    )
    if document is None:
        return Verification(document=None)
    status = _public_status(document)
    signature = _issued_signature(document)
    if presented is None:
        return Verification(document=document, status=status, signature=signature)
    digest = hashlib.sha256(presented).hexdigest()
    issued = {document.sha256, document.third_party_sha256} - {""}
    matches = digest in issued
    return Verification(
        document=document,
        file_matches=matches,
        status=status,
        signature=signature,
        # the same bytes as ours carry the same signature: checked once
        presented_signature=None if matches else signature_report(presented),
    )


def _issued_signature(document: Document) -> SignatureReport:
    """The signature on the stored file as it is now (a file changed in storage shows as
    broken here too). Checking takes tens of milliseconds; the answer is kept for an hour
    under the file's SHA-256, so the same bytes are not checked again on every visit."""
    try:
        with document.file.open("rb") as stored:
            content = stored.read()
    except (OSError, ValueError):  # missing from storage: nothing to check
        return SignatureReport(UNREADABLE)
    key = "anxin:document-signature:" + hashlib.sha256(content).hexdigest()
    report = cache.get(key)
    if report is None:
        report = signature_report(content)
        if report.state == UNSIGNED:
            report = SignatureReport(PREDATES)
        cache.set(key, report, SIGNATURE_CACHE_SECONDS)
    return report
