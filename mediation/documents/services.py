"""Writes on documents: ask for one, render it (in a task), retry a failed one."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused, NotFound
from casework.core.outbound import send_on_commit
from mediation.documents.choices import DocumentStage, DocumentStatus
from mediation.documents.codes import new_code
from mediation.documents.models import Document
from mediation.documents.public_url import public_base_url
from mediation.documents.registry import kind_for
from mediation.documents.tasks import render_document

log = logging.getLogger(__name__)


class DocumentNotFound(NotFound):
    """No such document, or the user may not have it: both answer 404."""


def _enqueue(document: Document) -> None:
    send_on_commit(
        lambda: render_document.enqueue(document.pk),
        kind="task",
        description="render a document",
        payload={"task": "render_document", "document": document.pk},
    )


def pending_document(*, requested_by, subject, kind) -> Document:
    """A new Document row waiting to be rendered (no permission check: callers do it)."""
    if kind.prepare:
        kind.prepare(subject)
    return Document.objects.create(
        code=new_code(),
        kind=kind.key,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        title=kind.title(subject)[:200],
        template_version=kind.template_version,
        stage=kind.stage_for(subject) if kind.stage_for else DocumentStage.DRAFT,
        public_url=public_base_url()[:200],
        requested_by=requested_by,
    )


def document_request(*, actor, subject, kind_key: str) -> Document:
    """Queue a fresh rendering of `subject`; the page shows it pending until it is ready."""
    kind = kind_for(kind_key)
    allowed = kind.can_request or kind.can_download
    if not allowed(actor, subject):
        raise ActionRefused(_("You may not prepare this document."))
    with transaction.atomic():
        document = pending_document(requested_by=actor, subject=subject, kind=kind)
        _enqueue(document)
    return document


def document_issue_version(*, actor, subject, kind_key: str) -> Document:
    """Queue a new version of `subject`'s document because the subject changed (every party
    signed an agreement); the earlier versions read "superseded" once it is ready. For
    services that have already checked the actor may change the subject."""
    with transaction.atomic():
        document = pending_document(requested_by=actor, subject=subject, kind=kind_for(kind_key))
        _enqueue(document)
    return document


def document_retry(*, actor, document_id: int) -> Document:
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or not kind_for(document.kind).can_download(actor, document.subject):
            raise DocumentNotFound
        if document.status != DocumentStatus.FAILED:
            raise ActionRefused(_("Only a document that failed can be tried again."))
        document.status = DocumentStatus.PENDING
        document.error = ""
        document.save(update_fields=["status", "error"])
        _enqueue(document)
    return document
