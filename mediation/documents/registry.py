"""The kinds of document Anxin renders, registered by the app that owns each subject."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


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
