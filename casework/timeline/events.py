"""The one place timeline entries are written: each stores a kind and parameters, put into
words in the reader's language when shown (casework/templatetags/timeline.py)."""

from casework.timeline.models import CaseEvent


def event_record(case, *, actor, kind: str, is_public: bool = False, **fields) -> CaseEvent:
    """Append one entry to the case's timeline, inside the caller's transaction."""
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, is_public=is_public, **fields
    )
