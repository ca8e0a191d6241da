"""Who may see, keep and review collective contracts.

The bureau keeps these records, so access follows the organisation (casework.access.scope_for):
- members of a unit office (tier 1: the labour-relations department, the district command...)
  and administrators see and keep every contract;
- supervisors keep and review the contracts of the units they oversee: a supervisor of the
  district or of a department oversees every contract; a street's supervisor the regional
  contracts of that street;
- everyone else (workers, street coordinators, mediators, platform representatives) sees none.
"""

from dataclasses import dataclass

from django.db.models import Q

from casework.organisation.access import scope_for
from casework.organisation.choices import TeamKind, UnitKind
from casework.organisation.models import Team, Unit, User


@dataclass(frozen=True)
class ContractAccess:
    sees_all: bool = False
    region_ids: frozenset[int] = frozenset()
    is_supervisor: bool = False

    @property
    def sees_any(self) -> bool:
        return self.sees_all or bool(self.region_ids)

    @property
    def can_create(self) -> bool:
        return self.sees_any

    def can_keep(self, contract) -> bool:
        """Edit content, record rounds and votes, sign, file, revise, renew."""
        return self.sees(contract)

    def can_review(self, contract) -> bool:
        """State no objection, or return with a review opinion: supervisors only."""
        return self.is_supervisor and self.sees(contract)

    def sees(self, contract) -> bool:
        return self.sees_all or (contract.region_id in self.region_ids)


NOBODY = ContractAccess()


def contract_access(user: User) -> ContractAccess:
    """Computed once per user object and reused within the request."""
    cached = getattr(user, "_contract_access", None)
    if cached is not None:
        return cached
    access = _compute(user)
    if user.is_authenticated:
        user._contract_access = access
    return access


def _compute(user: User) -> ContractAccess:
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    if user.is_superuser:
        return ContractAccess(sees_all=True, is_supervisor=True)
    scope = scope_for(user)
    in_unit_office = bool(scope.team_roles) and (
        Team.objects.filter(pk__in=scope.team_roles, kind=TeamKind.UNIT_OFFICE).exists()
    )
    supervised = scope.supervised_unit_ids
    oversees_district = bool(supervised) and (
        Unit.objects.filter(
            pk__in=supervised, kind__in=[UnitKind.DISTRICT, UnitKind.DEPARTMENT]
        ).exists()
    )
    return ContractAccess(
        sees_all=in_unit_office or oversees_district,
        region_ids=frozenset(supervised),
        is_supervisor=bool(supervised),
    )


def visible_contracts_q(access: ContractAccess) -> Q:
    if access.sees_all:
        return Q()
    if access.region_ids:
        return Q(region_id__in=access.region_ids)
    return Q(pk__in=[])
