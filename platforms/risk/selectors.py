"""Reads of employer risk for one user (platforms.risk.access): the list by level and one
company's level with its reasons and history. NotFound for anyone outside."""

from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, QuerySet, Value, When

from casework.core.bounds import parse_id
from casework.core.errors import NotFound
from casework.organisation.choices import UnitKind
from casework.organisation.models import Unit
from platforms.models import Company
from platforms.risk.access import may_see_company_risk, risk_scope
from platforms.risk.choices import SEVERITY, RiskLevel
from platforms.risk.models import CompanyRisk, CompanyRiskChange
from platforms.risk.words import reason_words, value_rows

SEVERITY_ORDER = SqlCase(
    *(When(level=level, then=Value(rank)) for level, rank in SEVERITY.items()),
    default=Value(0),
    output_field=IntegerField(),
)


def may_see_risk(user) -> bool:
    return user.is_authenticated and risk_scope(user).sees_anything


def risk_list_for_user(*, user, level: str = "", kind: str = "", street_id=None) -> QuerySet:
    """Companies at risk (or at `level`), most severe and most points first."""
    scope = risk_scope(user)
    if not scope.sees_anything:
        raise NotFound
    rows = CompanyRisk.objects.select_related("company", "street")
    if not scope.everything:
        rows = rows.filter(street_id__in=sorted(scope.unit_ids))
    rows = rows.filter(level=level) if level else rows.exclude(level=RiskLevel.NONE)
    if kind:
        rows = rows.filter(company__kind=kind)
    if street_id:
        rows = rows.filter(street_id=parse_id(street_id) or 0)
    return rows.annotate(severity=SEVERITY_ORDER).order_by("-severity", "-points", "company_id")


def street_choices_for_user(user) -> list[tuple[int, str]]:
    scope = risk_scope(user)
    streets = Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.PARK]).order_by("name")
    if not scope.everything:
        streets = streets.filter(pk__in=sorted(scope.unit_ids))
    return list(streets.values_list("pk", "name"))


@dataclass
class CompanyRiskPage:
    company: Company
    risk: CompanyRisk | None
    reasons: list[str]
    values: list[tuple[str, str]]
    changes: list[tuple[CompanyRiskChange, list[str]]]


def company_risk_for_user(*, user, company_id) -> CompanyRiskPage:
    pk = parse_id(company_id)
    if pk is None or not may_see_company_risk(user, pk):
        raise NotFound
    company = Company.objects.select_related("parent").filter(pk=pk).first()
    if company is None:
        raise NotFound
    risk = CompanyRisk.objects.select_related("street").filter(pk=pk).first()
    changes = list(
        CompanyRiskChange.objects.filter(company_id=pk).order_by("-changed_at", "-pk")[:50]
    )
    return CompanyRiskPage(
        company=company,
        risk=risk,
        reasons=[reason_words(r) for r in (risk.reasons if risk else [])],
        values=value_rows(risk.values if risk else {}),
        changes=[(change, [reason_words(r) for r in change.reasons]) for change in changes],
    )


def risk_levels_of(company_ids) -> dict[int, str]:
    """{company id: level} for a page of companies: one query (the registry's pages)."""
    return dict(CompanyRisk.objects.filter(pk__in=list(company_ids)).values_list("pk", "level"))
