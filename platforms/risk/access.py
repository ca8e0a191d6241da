"""Who sees employer risk: the district's supervisors and administrators every company; a
street's or park's supervisor the companies whose complaints come mostly from their units,
or that any complaint from their units names as employer. Nobody else (their answer is 404)."""

from dataclasses import dataclass

from casework.cases.models import Case
from casework.core.roles import Role
from casework.organisation.access import scope_for
from casework.organisation.models import Membership


@dataclass(frozen=True)
class RiskScope:
    everything: bool
    unit_ids: frozenset[int]

    @property
    def sees_anything(self) -> bool:
        return self.everything or bool(self.unit_ids)


def risk_scope(user) -> RiskScope:
    cached = getattr(user, "_anxin_risk_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return RiskScope(False, frozenset())
    if (
        user.is_superuser
        or Membership.objects.filter(
            user=user, role=Role.SUPERVISOR, team__unit__parent__isnull=True
        ).exists()
    ):
        result = RiskScope(True, frozenset())
    else:
        result = RiskScope(False, scope_for(user).supervised_unit_ids)
    user._anxin_risk_scope = result
    return result


def may_see_company_risk(user, company_id: int) -> bool:
    from platforms.risk.models import CompanyRisk

    scope = risk_scope(user)
    if scope.everything:
        return True
    if not scope.unit_ids:
        return False
    units = sorted(scope.unit_ids)
    return (
        CompanyRisk.objects.filter(pk=company_id, street_id__in=units).exists()
        or Case.objects.filter(employer_id=company_id, jurisdiction_id__in=units).exists()
    )
