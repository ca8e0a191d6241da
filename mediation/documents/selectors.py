"""Reads of documents: a subject's documents, a download, the public verification."""

import hashlib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from mediation.documents.choices import DocumentStatus
from mediation.documents.codes import normalise_code
from mediation.documents.models import Document
from mediation.documents.registry import kind_for
from mediation.documents.services import DocumentNotFound


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


@dataclass(frozen=True)
class Verification:
    document: Document | None
    # None: no file presented; True/False: the presented file is / is not the issued one
    file_matches: bool | None = None

    @property
    def genuine(self) -> bool:
        return self.document is not None and self.file_matches is not False


def document_verify(*, code: str, presented: bytes | None = None) -> Verification:
    """Public: is there a ready document under this code, and is this file that document?"""
    canonical = normalise_code(code)
    if canonical is None:
        return Verification(document=None)
    document = Document.objects.filter(code=canonical, status=DocumentStatus.READY).first()
    if document is None:
        return Verification(document=None)
    if presented is None:
        return Verification(document=document)
    return Verification(
        document=document, file_matches=hashlib.sha256(presented).hexdigest() == document.sha256
    )
