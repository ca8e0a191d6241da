"""Writes on documents: ask for one, render it (in a task), retry a failed one."""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused
from mediation.documents.choices import DocumentStatus
from mediation.documents.codes import new_code
from mediation.documents.registry import kind_for
from mediation.documents.rendering import render_pdf
from mediation.models import Document

log = logging.getLogger(__name__)


class DocumentNotFound(Exception):
    """No such document, or the user may not have it: both answer 404."""


def verify_url(code: str) -> str:
    return settings.ANXIN_PUBLIC_URL + reverse("mediation:verify", args=[code])


def _enqueue(document: Document) -> None:
    from mediation.documents.tasks import render_document

    transaction.on_commit(lambda: render_document.enqueue(document.pk))


def pending_document(*, requested_by, subject, kind) -> Document:
    """A new Document row waiting to be rendered (no permission check: callers do it)."""
    return Document.objects.create(
        code=new_code(),
        kind=kind.key,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        title=kind.title(subject)[:200],
        template_version=kind.template_version,
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


def document_render(document_id: int) -> Document | None:
    """Render a pending document. Runs in a task: outside any request, possibly twice."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.status == DocumentStatus.READY:
        return document
    kind = kind_for(document.kind)
    try:
        subject = document.subject
        rendered = render_pdf(
            template_name=kind.template_name,
            context=kind.build_context(subject),
            code=document.code,
            verify_url=verify_url(document.code),
        )
        summary = kind.public_summary(subject)
    except Exception as exc:  # any failure must reach the user as "failed", with a retry
        log.exception("Rendering document %s failed", document.pk)
        Document.objects.filter(pk=document.pk, status=DocumentStatus.PENDING).update(
            status=DocumentStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            attempts=document.attempts + 1,
        )
        document.refresh_from_db()
        return document
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status == DocumentStatus.READY:
            return document
        document.file.save(f"{document.code}.pdf", ContentFile(rendered.content), save=False)
        document.sha256 = rendered.sha256
        document.size = len(rendered.content)
        document.pages = rendered.pages
        document.render_seconds = round(rendered.seconds, 3)
        document.public_summary = summary
        document.status = DocumentStatus.READY
        document.error = ""
        document.attempts += 1
        document.rendered_at = timezone.now()
        document.save()
    return document
