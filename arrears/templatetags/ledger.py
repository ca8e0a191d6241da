"""The ledger part of the case pages (the case pages are casework's; the money is read here,
where the ledger is known)."""

from django import template

from arrears.ledger import CaseLedger, case_ledger
from casework.core.errors import CaseNotFound

register = template.Library()


@register.simple_tag
def ledger_of(case, user) -> CaseLedger | None:
    try:
        return case_ledger(user=user, case=case)
    except CaseNotFound:
        return None
