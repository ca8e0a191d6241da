from casework.cases.models.case import Case, CaseQuerySet
from casework.cases.models.records import CaseNote, CaseParty, Evidence, evidence_path
from casework.cases.models.seen import SeenCase, refuse_if_changed, refuses_stale_pages

__all__ = [
    "Case",
    "CaseNote",
    "CaseParty",
    "CaseQuerySet",
    "Evidence",
    "SeenCase",
    "evidence_path",
    "refuse_if_changed",
    "refuses_stale_pages",
]
