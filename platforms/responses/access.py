"""Which complaints a representative may read and answer: those that name a company they
answer for (platforms.chain), once the bureau has taken them up. The portal, the API and the
responding services all read through here."""

from django.db.models import Exists, OuterRef, QuerySet

from casework.cases.choices import CaseState
from casework.cases.models import Case, CaseParty
from casework.core.errors import CaseNotFound
from casework.core.roles import Role
from platforms.chain import represented_company_ids

# Complaints the bureau has not (yet) taken up are not put to the employer.
NOT_PUT_TO_EMPLOYER = (CaseState.SUBMITTED, CaseState.NOT_ACCEPTED)


def represented_cases(*, user) -> QuerySet[Case]:
    """Raises NotFound for anyone who represents no company."""
    companies = represented_company_ids(user)
    named = CaseParty.objects.filter(case=OuterRef("pk"), company_id__in=companies)
    return Case.objects.filter(Exists(named)).exclude(state__in=NOT_PUT_TO_EMPLOYER)


def lock_for_representative(*, user, case_id) -> tuple[Case, frozenset[Role]]:
    """The case row locked for this transaction, for a representative who may answer it;
    CaseNotFound (a 404) for any other case or a malformed id."""
    try:
        case = (
            represented_cases(user=user)
            .select_for_update(of=("self",))
            # the worker and the assignee are told of the answer: read with the case
            .select_related("team", "jurisdiction", "worker", "assignee")
            .get(pk=int(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc
    return case, frozenset({Role.PLATFORM_REPRESENTATIVE})
