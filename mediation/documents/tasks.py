"""Background work: rendering documents off the request path (django.tasks).

The immediate backend (default) runs it when the request's transaction commits; in
production ANXIN_TASKS_BACKEND=django_tasks_db.DatabaseBackend and `manage.py db_worker`.
"""

import dataclasses
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from mediation.documents.choices import DocumentStatus
from mediation.documents.models import Document
from mediation.documents.public_url import public_base_url
from mediation.documents.registry import kind_for
from mediation.documents.rendering import RenderedPdf, render_pdf
from mediation.documents.signing import sign_pdf

log = logging.getLogger(__name__)


def verify_url(document: Document) -> str:
    base = settings.ANXIN_PUBLIC_URL or document.public_url or public_base_url()
    return base + reverse("mediation:verify", args=[document.code])


def _signed(rendered: RenderedPdf, document: Document, url: str) -> RenderedPdf:
    """The rendered PDF signed with the bureau's key, here in the task: the file stored, hashed
    and handed out is the signed one."""
    started = time.perf_counter()
    content = sign_pdf(rendered.content, reason=f"{document.title} · {document.code}", location=url)
    return dataclasses.replace(
        rendered, content=content, seconds=rendered.seconds + time.perf_counter() - started
    )


def _render_copies(document: Document, kind, subject):
    """The full copy and, for kinds that mask ID numbers for third parties, their copy (None
    when nothing on it would be masked: they get the full one); both signed."""
    url = verify_url(document)
    full, masked = _render_unsigned(document, kind, subject, url)
    return _signed(full, document, url), masked and _signed(masked, document, url)


def _render_unsigned(document: Document, kind, subject, url: str):
    if kind.document_context is None:
        context = kind.build_context(subject)
        full = render_pdf(
            template_name=kind.template_name, context=context, code=document.code, verify_url=url
        )
        return full, None
    stage = document.stage
    context = kind.document_context(subject, stage=stage, third_party=False)
    full = render_pdf(
        template_name=kind.template_name, context=context, code=document.code, verify_url=url
    )
    if not context.get("has_id_numbers"):
        return full, None
    masked = render_pdf(
        template_name=kind.template_name,
        context=kind.document_context(subject, stage=stage, third_party=True),
        code=document.code,
        verify_url=url,
    )
    return full, masked


def document_render(document_id: int) -> Document | None:
    """Render a pending document. Runs in a task: outside any request, possibly twice."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.status == DocumentStatus.READY:
        return document
    kind = kind_for(document.kind)
    try:
        subject = document.subject
        rendered, third_party = _render_copies(document, kind, subject)
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
        if third_party is not None:
            document.third_party_file.save(
                f"{document.code}-copy.pdf", ContentFile(third_party.content), save=False
            )
            document.third_party_sha256 = third_party.sha256
        document.size = len(rendered.content)
        document.pages = rendered.pages
        document.render_seconds = round(rendered.seconds, 3)
        document.public_summary = summary
        document.status = DocumentStatus.READY
        document.error = ""
        document.attempts += 1
        document.rendered_at = timezone.now()
        document.save()
        # the earlier versions of the subject's document now read "superseded" where verified
        Document.objects.filter(
            content_type_id=document.content_type_id,
            object_id=document.object_id,
            kind=document.kind,
            superseded_by__isnull=True,
            pk__lt=document.pk,
        ).update(superseded_by=document)
    return document


@task()
def render_document(document_id: int) -> None:
    document_render(document_id)
