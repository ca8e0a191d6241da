"""Filing a complaint and adding to it: the worker's (or staff's) words, parties and evidence."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from casework.cases.lifecycle import MESSAGE_STATES
from casework.cases.models import Case, Evidence
from casework.cases.services.common import refuse_unavailable
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.roles import STAFF_ROLES, Role
from casework.core.uploads import CheckedFile
from casework.organisation.models import User
from casework.timeline.events import evidence_added_event, worker_message_event


def check_evidence_room(case_id: int | None, files: list[CheckedFile]) -> None:
    existing = Evidence.objects.filter(case_id=case_id).count() if case_id else 0
    limit = settings.ANXIN_EVIDENCE_MAX_FILES
    if existing + len(files) > limit:
        raise ActionRefused(
            _("A case can have at most %(limit)d files; this one has room for %(room)d more.")
            % {"limit": limit, "room": max(0, limit - existing)},
            field="files",
        )


def store_evidence(case: Case, files: list[CheckedFile], actor: User) -> None:
    for checked in files:
        evidence = Evidence(
            case=case,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        evidence.file.save(checked.sha256, checked.upload, save=False)
        evidence._history_user = actor
        evidence.save()


def case_worker_message(*, actor: User, case_id: int, body: str, files: list[CheckedFile]) -> None:
    """The worker adds a message and/or evidence to their own case while someone here still
    works on it (MESSAGE_STATES)."""
    body = (body or "").strip()
    if not body and not files:
        raise ActionRefused(_("Write a message or choose a file."), field="body")
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        if Role.WORKER not in roles and not roles & STAFF_ROLES:
            raise CaseNotFound
        if case.state not in MESSAGE_STATES:
            refuse_unavailable(case)
        check_evidence_room(case.pk, files)
        store_evidence(case, files, actor)
        if files:
            evidence_added_event(
                case=case, actor=actor, file_names=[f.original_name for f in files]
            )
        if body:
            worker_message_event(case=case, actor=actor, body=body)
