"""What the audit browser finds a chained row by (ChainEntry's index columns), read from the
row itself as it is appended: the action, who made the change, the case, the company and the
unit it belongs to.

A value the row does not carry (the street of a party's case, the unit of a membership's team,
the company of an API token's representative, the case of a clock's pause or of an employer's
signature) is looked up by the chain's INSERT itself (scalar subqueries), so indexing costs no
query of its own.
"""

from django.apps import apps

# (column the row may carry, what it means) in order of preference.
UNIT_ATTRIBUTES = ("jurisdiction_id", "unit_id", "region_id")
COMPANY_ATTRIBUTES = ("company_id", "employer_id")


def _instance_label(row) -> str:
    """The tracked model's label: a history row's model, or the row's own."""
    model = getattr(type(row), "instance_type", None) or type(row)
    return model._meta.label


def index_keys(row) -> tuple:
    """(action, actor, case, company, unit, team, representative, deadline, agreement) of a
    chained row; the last four are only the keys the INSERT follows when the row names no
    case, unit or company."""
    label = _instance_label(row)
    action = getattr(row, "history_type", "") or ""
    actor = getattr(row, "history_user_id", None)
    case = row.id if label == "casework.Case" and action else getattr(row, "case_id", None)
    if label == "casework.Unit" and action:
        unit = row.id
    else:
        unit = next((getattr(row, a) for a in UNIT_ATTRIBUTES if getattr(row, a, None)), None)
    if label == "platforms.Company" and action:
        company = row.id
    else:
        company = next((getattr(row, a) for a in COMPANY_ATTRIBUTES if getattr(row, a, None)), None)
    team = getattr(row, "team_id", None) if case is None and unit is None else None
    representative = getattr(row, "representative_id", None) if company is None else None
    # A clock's pause or extension belongs to the clock's case, a signature to its agreement's.
    deadline = getattr(row, "deadline_id", None) if case is None else None
    agreement = getattr(row, "agreement_id", None) if case is None else None
    return action, actor, case, company, unit, team, representative, deadline, agreement


def case_sql(quote, *, case: str, deadline: str, agreement: str) -> str:
    """The SQL expression of the case column, given the expressions of the values carried."""
    deadline_table = quote(apps.get_model("casework", "Deadline")._meta.db_table)
    agreement_table = quote(apps.get_model("mediation", "Agreement")._meta.db_table)
    return (
        f"coalesce({case}, "  # noqa: S608 (quoted table names and our own expressions)
        f"(SELECT d.case_id FROM {deadline_table} d WHERE d.id = {deadline}), "
        f"(SELECT a.case_id FROM {agreement_table} a WHERE a.id = {agreement}))"
    )


def lookup_sql(quote, *, company: str, unit: str, case: str, team: str, representative: str):
    """SQL expressions for the company and unit columns of the INSERT, given the expressions
    of the values the row carried."""
    case_table = quote(apps.get_model("casework", "Case")._meta.db_table)
    team_table = quote(apps.get_model("casework", "Team")._meta.db_table)
    representative_table = quote(apps.get_model("platforms", "Representative")._meta.db_table)
    unit_sql = (
        f"coalesce({unit}, "  # noqa: S608 (quoted table names and our own expressions)
        f"(SELECT c.jurisdiction_id FROM {case_table} c WHERE c.id = {case}), "
        f"(SELECT t.unit_id FROM {team_table} t WHERE t.id = {team}))"
    )
    company_sql = (
        f"coalesce({company}, "  # noqa: S608
        f"(SELECT c.employer_id FROM {case_table} c WHERE c.id = {case}), "
        f"(SELECT r.company_id FROM {representative_table} r WHERE r.id = {representative}))"
    )
    return company_sql, unit_sql
