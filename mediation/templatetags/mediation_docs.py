from django import template
from django.contrib.contenttypes.models import ContentType

from mediation.agreement_documents import can_download
from mediation.choices import AgreementStatus
from mediation.documents.choices import DocumentStatus
from mediation.models import Agreement, Document

register = template.Library()


@register.simple_tag
def agreement_documents(case, user) -> list[Document]:
    """The ready PDFs of the case's current agreements that this user may download."""
    agreements = [
        a
        for a in Agreement.objects.filter(lines__case=case).exclude(status=AgreementStatus.VOID)
        if can_download(user, a)
    ]
    if not agreements:
        return []
    documents = Document.objects.filter(
        content_type=ContentType.objects.get_for_model(Agreement),
        object_id__in=[a.pk for a in agreements],
        status=DocumentStatus.READY,
    )
    latest: dict[int, Document] = {}
    for document in documents.order_by("requested_at", "pk"):
        latest[document.object_id] = document
    return list(latest.values())
