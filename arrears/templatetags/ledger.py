"""The ledger part of the case pages (the case pages are casework's; the money is read here,
where the ledger is known)."""

from django import template

from arrears.ledger import CaseLedger, ledger_with_roles

register = template.Library()


@register.simple_tag
def case_page_ledger(view) -> CaseLedger | None:
    """The ledger of the case page's case (casework.cases.selectors.CaseView): the reader's
    roles on the case, the case's files and the ledger's rows are those the page has read."""
    if not view.roles:
        return None
    return ledger_with_roles(
        case=view.case, roles=view.roles, case_evidence=view.evidence, found=view.panel_rows
    )
