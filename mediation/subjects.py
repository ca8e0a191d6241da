"""What a mediation is about: one case, or a collective group of cases; and who may act on it."""

from dataclasses import dataclass

from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.core.access import case_roles, visible_cases_q
from casework.core.errors import CaseNotFound
from casework.core.roles import Role
from casework.groups.models import CaseGroup
from casework.groups.selectors import group_hides_cases_from
from casework.organisation.access import scope_for

# States in which a case can be brought to (or already is in) mediation.
MEDIATABLE = {CaseState.VERIFYING, CaseState.AWAITING_RESPONSE, CaseState.MEDIATING}


@dataclass
class Subject:
    case: Case | None
    group: CaseGroup | None
    cases: list[Case]
    roles: frozenset[Role]

    @property
    def as_fields(self) -> dict:
        return {"case": self.case, "group": self.group}

    @property
    def label(self) -> str:
        return self.case.reference if self.case else self.group.title

    @property
    def employer(self):
        if self.group:
            return self.group.employer
        parties = [p for p in self.case.parties.all() if p.company_id]
        return parties[0].company if parties else None


def load_subject(*, actor, case_id=None, group_id=None, lock: bool = False) -> Subject:
    """The case or group, if the actor may see it; raises CaseNotFound otherwise.

    A group is found only by an actor who sees every one of its cases (casework.groups
    .selectors); `roles` are the roles the actor holds on any of them.
    """
    scope = scope_for(actor)
    cases = Case.objects.filter(visible_cases_q(scope)).select_related("team", "worker")
    if lock:
        cases = cases.select_for_update(of=("self",))
    try:
        if case_id is not None:
            case = cases.prefetch_related("parties__company").get(pk=int(case_id))
            return Subject(case=case, group=None, cases=[case], roles=case_roles(scope, case))
        group = CaseGroup.objects.select_related("employer").get(pk=int(group_id))
    except (Case.DoesNotExist, CaseGroup.DoesNotExist, TypeError, ValueError):
        raise CaseNotFound from None
    members = list(cases.filter(group=group).order_by("pk"))
    # A group session or agreement binds every case of the group: an actor who cannot see
    # all of them cannot act on (or read) the group's mediation.
    if not members or group_hides_cases_from(scope=scope, group_id=group.pk):
        raise CaseNotFound
    roles: set[Role] = set()
    for member in members:
        roles |= case_roles(scope, member)
    return Subject(case=None, group=group, cases=members, roles=frozenset(roles))
