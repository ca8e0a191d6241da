"""Extending a deadline: a request (with its reason), then a supervisor's decision. The
timeline says what happened when it happened: "extension requested" at the request, "deadline
extended" at the approval, "extension refused" at a refusal, each with who and why.

`may_decide_extensions` is the one answer to "who approves": the service asks it, and the case
page asks it (through the `may_decide_extensions` template filter) before showing the buttons.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.clocks.models import Deadline, DeadlineExtension
from casework.clocks.services import OPEN, recompute
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.roles import Role
from casework.organisation.models import User
from casework.timeline.events import (
    deadline_extended_event,
    deadline_extension_refused_event,
    deadline_extension_requested_event,
)

REQUESTERS = frozenset({Role.COORDINATOR, Role.INSPECTOR, Role.SUPERVISOR})
DECIDERS = frozenset({Role.SUPERVISOR})


def may_decide_extensions(roles) -> bool:
    """Whether someone with these roles on a case approves or refuses its extensions."""
    return bool(frozenset(roles or ()) & DECIDERS)


def deadline_extend(*, actor: User, deadline_id: int, reason: str) -> DeadlineExtension:
    """Request the rule's extension; a supervisor's own request is approved at once.

    Changes: a DeadlineExtension; when approved, the deadline's due date. Records "extension
    requested" (or, for a supervisor, "deadline extended") with who and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give a reason."), field="reason")
    with transaction.atomic():
        try:
            case_id = Deadline.objects.values_list("case_id", flat=True).get(pk=deadline_id)
        except (Deadline.DoesNotExist, ValueError, TypeError) as exc:
            raise CaseNotFound from exc
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id, roles_needed=REQUESTERS)
        deadline = Deadline.objects.select_for_update().select_related("rule").get(pk=deadline_id)
        if not deadline.rule.extension_length:
            raise ActionRefused(_("This deadline cannot be extended."))
        if deadline.status not in OPEN:
            raise ActionRefused(_("This deadline is already closed."))
        # A refused request may be made again with better reasons; one extension at most.
        asked = deadline.extensions.filter(refused_at__isnull=True)
        if asked.filter(approved_at__isnull=False).exists():
            raise ActionRefused(_("This deadline has already been extended once."))
        if asked.exists():
            raise ActionRefused(_("An extension of this deadline is already awaiting a decision."))
        approved = may_decide_extensions(roles)
        now = timezone.now()
        extension = DeadlineExtension.objects.create(
            deadline=deadline,
            length=deadline.rule.extension_length,
            reason=reason,
            requested_by=actor,
            approved_by=actor if approved else None,
            approved_at=now if approved else None,
        )
        if approved:
            recompute(deadline)
            deadline.save(update_fields=["due_on", "warn_on", "provisional"])
            deadline_extended_event(case=case, actor=actor, extension=extension, reason=reason)
        else:
            deadline_extension_requested_event(case=case, actor=actor, extension=extension)
    return extension


def _decide(*, actor: User, extension_id) -> tuple[Case, Deadline, DeadlineExtension]:
    """The extension and its deadline, locked (case first), if `actor` may decide on it."""
    try:
        case_id = DeadlineExtension.objects.values_list("deadline__case_id", flat=True).get(
            pk=extension_id
        )
    except (DeadlineExtension.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc
    case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
    if not may_decide_extensions(roles):
        raise ActionRefused(_("Only a supervisor over this case can decide on an extension."))
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension_id)
    deadline = (
        Deadline.objects.select_for_update().select_related("rule").get(pk=extension.deadline_id)
    )
    if extension.approved_at:
        raise ActionRefused(_("Already approved."))
    if extension.refused_at:
        raise ActionRefused(_("This extension was already refused."))
    if deadline.status not in OPEN:
        raise ActionRefused(_("This deadline is already closed."))
    return case, deadline, extension


def deadline_extension_approve(*, actor: User, extension_id: int) -> DeadlineExtension:
    """A supervisor approves a requested extension.

    Changes: the extension (who, when), the deadline's due date; records "deadline extended"
    by the approver, with the request's reason."""
    with transaction.atomic():
        case, deadline, extension = _decide(actor=actor, extension_id=extension_id)
        extension.approved_by, extension.approved_at = actor, timezone.now()
        extension.save(update_fields=["approved_by", "approved_at"])
        recompute(deadline)
        deadline.save(update_fields=["due_on", "warn_on", "provisional"])
        deadline_extended_event(
            case=case, actor=actor, extension=extension, reason=extension.reason
        )
    return extension


def deadline_extension_refuse(*, actor: User, extension_id: int, reason: str) -> DeadlineExtension:
    """A supervisor refuses a requested extension, saying why; the due date stays.

    Changes: the extension (who, when, why); records "extension refused"."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give a reason."), field="reason")
    with transaction.atomic():
        case, _deadline, extension = _decide(actor=actor, extension_id=extension_id)
        extension.refused_by, extension.refused_at = actor, timezone.now()
        extension.refusal_reason = reason
        extension.save(update_fields=["refused_by", "refused_at", "refusal_reason"])
        deadline_extension_refused_event(case=case, actor=actor, extension=extension, reason=reason)
    return extension
