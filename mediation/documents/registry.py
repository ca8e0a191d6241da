"""The kinds of document Anxin renders, registered by the app that owns each subject."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class PublicStatus:
    """Where a document stands now, for the public verification page (no personal data)."""

    tone: str  # "ok", "warning" or "danger"
    words: str
    newer_code: str = ""


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str | Promise
    template_name: str
    # bump when the template changes in a way a reader would notice; stored on each document
    template_version: str
    # everything the template needs, read from the subject (and its related rows)
    build_context: Callable[[Any], dict]
    # parties and authorised staff only
    can_download: Callable[[Any, Any], bool]
    # shown on the public verification page: no names, no ID numbers, no amounts per person
    public_summary: Callable[[Any], dict]
    # a short title for lists and the file name
    title: Callable[[Any], str]
    # who may ask for the document to be (re)rendered
    can_request: Callable[[Any, Any], bool] | None = None
    # run in the requesting transaction before the document is created (say, to number the
    # subject); may refuse with ActionRefused
    prepare: Callable[[Any], None] | None = None
    # the stage (DocumentStage) a document asked for now has: a draft, or the signed version
    stage_for: Callable[[Any], str] | None = None
    # (subject, stage=, third_party=) -> context: kinds whose copy for third parties (the
    # employer, the platform) masks ID numbers; build_context is used otherwise
    document_context: Callable[..., dict] | None = None
    # (user, subject) -> whether the user gets the copy for third parties
    is_third_party: Callable[[Any, Any], bool] | None = None
    # (subject, document) -> PublicStatus shown on the verification page
    public_status: Callable[[Any, Any], PublicStatus] | None = None


_KINDS: dict[str, DocumentKind] = {}


class UnknownDocumentKind(LookupError):
    pass


def register(kind: DocumentKind) -> DocumentKind:
    _KINDS[kind.key] = kind
    return kind


def kind_for(key: str) -> DocumentKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownDocumentKind(key) from None
