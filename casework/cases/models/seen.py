"""What a page showed of a case, posted back with every form that changes it (a hidden
`seen` field): a form from a stale page is refused, naming what changed, rather than obeyed.

Transitions have always posted the state they showed (`expected_state`); this is the same
guard for the other case-changing forms (assignment, notes, clocks, the queue's bulk
actions). Each action says which changes make its page stale (`watching`): a note is only
refused when the state changed, an assignment when the assignee or the team changed.
"""

import functools
from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.cases.models.case import Case
from casework.core.errors import CaseChanged, CaseNotFound

STATE, ASSIGNEE, TEAM = "state", "assignee", "team"
EVERYTHING = (STATE, ASSIGNEE, TEAM)


@dataclass(frozen=True)
class SeenCase:
    state: str
    assignee_id: int  # 0: nobody
    team_id: int

    @staticmethod
    def token_for(case) -> str:
        """The hidden field's value for a page showing `case` now."""
        return f"{case.state}.{case.assignee_id or 0}.{case.team_id}"

    @classmethod
    def parse(cls, raw) -> "SeenCase | None":
        """None when the form did not say (callers other than the case pages: not checked).
        A malformed value reads as a page that showed some other case: refused."""
        if raw is None or raw == "":
            return None
        try:
            state, assignee, team = str(raw)[:100].split(".")
            return cls(state=state, assignee_id=int(assignee), team_id=int(team))
        except ValueError:
            return cls(state="", assignee_id=-1, team_id=-1)


def refuse_if_changed(case, seen: SeenCase | None, *, watching=EVERYTHING) -> None:
    """Raise CaseChanged when the (locked) case differs from what the page showed in one of
    the `watching` aspects; the message names what it is now. Nothing happens without `seen`."""
    if seen is None:
        return
    if seen.team_id < 0:
        raise CaseChanged(_("This page is out of date. Reload it and try again."))
    if STATE in watching and case.state != seen.state:
        raise CaseChanged(
            _("Someone changed this case while you were looking at it: it is now “%(state)s”.")
            % {"state": case.state_label}
        )
    if ASSIGNEE in watching and (case.assignee_id or 0) != seen.assignee_id:
        if case.assignee_id:
            raise CaseChanged(
                _(
                    "While you were looking at it, the case was assigned to %(name)s. "
                    "Nothing was changed: check, then try again."
                )
                % {"name": case.assignee.name}
            )
        raise CaseChanged(
            _(
                "While you were looking at it, the case was left without an assignee. "
                "Nothing was changed: check, then try again."
            )
        )
    if TEAM in watching and case.team_id != seen.team_id:
        raise CaseChanged(
            _(
                "While you were looking at it, the case moved to %(team)s. "
                "Nothing was changed: check, then try again."
            )
            % {"team": case.team.name}
        )


def refuses_stale_pages(*, watching):
    """Decorate a view of another concern that posts from the case page (the clocks): with a
    `seen` value, the view runs in one transaction with the case locked and checked first,
    so nothing can change the case between the check and the action (the services' own lock
    of the same row is then a no-op). A stale page is told what changed; nothing is done.
    It lives here because the lower concerns may import casework.cases.models only."""

    def decorate(view):
        @functools.wraps(view)
        def guarded(request, case_id, *args, **kwargs):
            seen = SeenCase.parse(request.POST.get("seen"))
            if seen is None:
                return view(request, case_id, *args, **kwargs)
            with transaction.atomic():
                try:
                    case, _roles = Case.objects.lock_for(actor=request.user, case_id=case_id)
                    refuse_if_changed(case, seen, watching=watching)
                except CaseNotFound as exc:
                    raise Http404 from exc
                except CaseChanged as refusal:
                    messages.error(request, refusal.message)
                    return HttpResponseRedirect(reverse("casework:case_detail", args=[case_id]))
                return view(request, case_id, *args, **kwargs)

        return guarded

    return decorate
