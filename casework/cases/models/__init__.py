from casework.cases.models.case import Case, CaseQuerySet
from casework.cases.models.records import CaseNote, CaseParty, Evidence, evidence_path
from casework.cases.models.seen import SeenCase, case_unchanged_then, refuse_if_changed

__all__ = [
    "Case",
    "CaseNote",
    "CaseParty",
    "CaseQuerySet",
    "Evidence",
    "SeenCase",
    "case_unchanged_then",
    "evidence_path",
    "refuse_if_changed",
]
