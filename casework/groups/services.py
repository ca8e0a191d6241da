"""Grouping complaints against one employer; at the threshold a group becomes collective."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case
from casework.core.access import case_roles, visible_cases_q
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.roles import ASSIGNERS
from casework.groups.models import CaseGroup
from casework.groups.selectors import group_get_for_user
from casework.notifications.audiences import supervisors_over
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.access import scope_for
from casework.organisation.models import User
from casework.organisation.tiers import ROUTE_COLLECTIVE, collective_team, moved_route
from casework.timeline.events import case_collective_event, case_grouped_event

GROUPERS = ASSIGNERS


def group_suggestions_for_case(*, user: User, case: Case, limit: int = 20) -> list[Case]:
    """Open complaints the user may see against the same employer over an overlapping period,
    not yet in another group: candidates the coordinator confirms."""
    if case.employer_id is None:
        return []
    return list(
        Case.objects.filter(visible_cases_q(scope_for(user)))
        .filter(
            employer_id=case.employer_id,
            state__in=OPEN_STATES,
            period_start__lte=case.period_end,
            period_end__gte=case.period_start,
        )
        .filter(Q(group__isnull=True) | ~Q(group=case.group_id))
        .exclude(pk=case.pk)
        .order_by("-created_at", "-id")[:limit]
    )


def group_add_cases(*, actor: User, case_ids: list[int], group_id: int | None = None) -> CaseGroup:
    """Confirm that complaints belong together (creating the group if needed).

    The group named by `group_id` is resolved through group_get_for_user: a group the actor
    may not see whole is not found (GroupNotFound, a 404), and nothing changes.

    Changes: the cases' group, a history row and an internal event per case; when the group
    reaches ANXIN_COLLECTIVE_THRESHOLD distinct workers it becomes collective: its open cases
    move to the tier-1 team, each gets a timeline entry, and the tier-1 supervisors are
    notified at once.
    """
    case_ids = sorted({int(pk) for pk in case_ids})
    if not case_ids:
        raise ActionRefused(_("Choose at least one complaint."))
    scope = scope_for(actor)
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(of=("self",))
            .filter(visible_cases_q(scope), pk__in=case_ids)
            .select_related("team", "jurisdiction", "employer")
            .prefetch_related("parties")
            .order_by("pk")
        )
        if len(cases) != len(case_ids):
            raise CaseNotFound
        if any(not case_roles(scope, case) & GROUPERS for case in cases):
            raise ActionRefused(_("Only coordinators and supervisors group complaints."))
        if group_id:
            group, _members = group_get_for_user(user=actor, group_id=group_id, lock=True)
        else:
            employer = cases[0].employer  # the lowest named company, set when filed
            if employer is None:
                raise ActionRefused(_("Only complaints naming a known company can be grouped."))
            group = CaseGroup(
                employer=employer,
                title=_("Complaints against %(employer)s") % {"employer": employer.name},
                created_by=actor,
            )
            group._history_user = actor
            group.save()
        for case in cases:
            if not any(p.company_id == group.employer_id for p in case.parties.all()):
                raise ActionRefused(
                    _("%(reference)s does not name %(employer)s.")
                    % {"reference": case.reference, "employer": group.employer.name}
                )
            if case.group_id == group.pk:
                continue
            case.group = group
            case._history_user = actor
            case._change_reason = "grouped"
            case.save(update_fields=["group", "updated_at"])
            case_grouped_event(case=case, actor=actor, group_title=group.title)
        _check_collective(group, actor)
    return group


def _check_collective(group: CaseGroup, actor: User) -> None:
    workers = group.cases.values("worker_id").distinct().count()
    if group.is_collective or workers < settings.ANXIN_COLLECTIVE_THRESHOLD:
        return
    group.collective_since = timezone.now()
    group._history_user = actor
    group.save(update_fields=["collective_since"])
    first = None
    for case in (
        Case.objects.select_for_update(of=("self",))
        .filter(group=group, state__in=OPEN_STATES)
        .select_related("jurisdiction", "team")
        .order_by("pk")
    ):
        target = collective_team(case.jurisdiction)
        reason = _("Collective case: %(n)d workers against %(employer)s") % {
            "n": workers,
            "employer": group.employer.name,
        }
        if target is not None and target.pk != case.team_id:
            case.team, case.assignee = target, None
            # The reason shown for its team is now the collective move, in the reader's words.
            case.routing = moved_route(
                ROUTE_COLLECTIVE, team=target, workers=workers, employer=group.employer.name
            )
            case._history_user = actor
            case._change_reason = f"collective: {reason}"
            case.save(update_fields=["team", "assignee", "routing", "updated_at"])
        case_collective_event(case=case, actor=actor, reason=reason)
        case_changed(case)
        first = first or case
    if first is not None:
        notify(
            recipients=supervisors_over(first, tier1_only=True) or supervisors_over(first),
            kind=NotificationKind.COLLECTIVE,
            case=first,
            params={"workers": workers, "employer": group.employer.name},
        )


def group_assign(*, actor: User, group_id: int, assignee_id: int | None) -> int:
    """Assign every open case of the group the actor may assign to one person."""
    from casework.cases.services.handling import case_assign

    _group, cases = group_get_for_user(user=actor, group_id=group_id)
    done = 0
    with transaction.atomic():  # all or nothing: a refusal on one case changes none
        for case in cases:
            if case.state in OPEN_STATES:
                case_assign(actor=actor, case_id=case.pk, assignee_id=assignee_id)
                done += 1
    return done


def group_start_mediation(*, actor: User, group_id: int, reason: str = "") -> int:
    """Move every case of the group that can start mediation into mediation together."""
    from django_fsm import can_proceed

    from casework.cases.services.transitions import case_transition

    _group, cases = group_get_for_user(user=actor, group_id=group_id)
    done = 0
    for case in cases:
        if can_proceed(case.start_mediation, check_conditions=False):
            case_transition(actor=actor, case_id=case.pk, name="start_mediation", reason=reason)
            done += 1
    if not done:
        raise ActionRefused(_("No case of this group can start mediation now."))
    return done
