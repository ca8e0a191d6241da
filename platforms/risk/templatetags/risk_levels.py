"""The risk level beside a company on other concerns' pages (the employer registry), without
those concerns importing this one: the template asks for it by name."""

from django import template

from platforms.risk.selectors import may_see_risk, risk_levels_of
from platforms.risk.words import level_name

register = template.Library()


@register.simple_tag
def sees_risk(user) -> bool:
    return may_see_risk(user)


@register.simple_tag
def risk_levels(companies) -> dict:
    """{company id: (level, its name)} for a page of companies, in one query."""
    levels = risk_levels_of(company.pk for company in companies)
    return {pk: (level, level_name(level)) for pk, level in levels.items()}


@register.filter
def level_of(levels: dict, company_id):
    return levels.get(company_id, ("none", level_name("none")))


@register.simple_tag
def company_risk_level(company) -> tuple[str, str]:
    """(level, its name) of one company: one query."""
    level = risk_levels_of([company.pk]).get(company.pk, "none")
    return level, level_name(level)
