"""Downloading, retrying and verifying documents."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casework.core.errors import ActionRefused
from casework.core.uploads import accepts_uploads, private_file_response
from casework.privacy.services import agreement_file_download_record
from mediation.agreement_documents import ScanNotFound, signature_scan_for_user
from mediation.documents.choices import DocumentStatus
from mediation.documents.codes import normalise_code
from mediation.documents.selectors import (
    document_file_for_user,
    document_get_for_user,
    document_verify,
)
from mediation.documents.services import DocumentNotFound, document_retry
from mediation.forms import VerifyUploadForm
from mediation.models import Agreement


def _referer(request) -> str:
    return urlsplit(request.headers.get("Referer", "")).path


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


@login_required
@require_safe
def download(request, document_id: int):
    try:
        document = document_get_for_user(user=request.user, document_id=document_id)
    except DocumentNotFound as exc:
        raise Http404 from exc
    if document.status != DocumentStatus.READY:
        raise Http404
    if isinstance(document.subject, Agreement):  # it names the workers, with ID numbers
        agreement_file_download_record(
            actor=request.user, agreement=document.subject, page=_referer(request)
        )
    response = FileResponse(
        document_file_for_user(user=request.user, document=document).open("rb"),
        as_attachment=True,
        filename=f"{document.title} {document.code}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def signature_scan(request, signature_id: int):
    """The signed copy a party uploaded, shown inline to staff on the agreement's cases."""
    try:
        signature = signature_scan_for_user(user=request.user, signature_id=signature_id)
    except ScanNotFound as exc:
        raise Http404 from exc
    agreement_file_download_record(
        actor=request.user,
        agreement=signature.agreement,
        signature=signature,
        page=_referer(request),
    )
    return private_file_response(signature.scan)


@login_required
@require_safe
def status(request, document_id: int):
    """The status line of one document, polled by the page while it is being prepared."""
    try:
        document = document_get_for_user(user=request.user, document_id=document_id)
    except DocumentNotFound as exc:
        raise Http404 from exc
    return render(request, "documents/_document.html", {"document": document})


@login_required
@require_POST
def retry(request, document_id: int):
    try:
        document_retry(actor=request.user, document_id=document_id)
    except DocumentNotFound as exc:
        raise Http404 from exc
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Trying again: the document is being prepared."))
    return _back(request, reverse("casework:home"))


@accepts_uploads("ANXIN_VERIFY_MAX_REQUEST_BYTES")
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request, code: str = ""):
    """Public: confirm a document is genuine, from its printed code (and optionally the file)."""
    if not code and request.GET.get("code"):
        canonical = normalise_code(request.GET["code"])
        if canonical:
            return HttpResponseRedirect(reverse("mediation:verify", args=[canonical]))
    form = VerifyUploadForm()
    presented = None
    if request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.ANXIN_VERIFY_UPLOAD_MAX_BYTES:
                form.add_error("file", _("This file is too large to be one of our documents."))
            else:
                presented = upload.read()
    result = document_verify(code=code, presented=presented) if code else None
    status_code = 200
    if code and result.document is None:
        status_code = 404
    elif result is not None and result.file_matches is False:
        status_code = 409
    return render(
        request,
        "documents/verify.html",
        {"code": code, "result": result, "form": form},
        status=status_code,
    )
