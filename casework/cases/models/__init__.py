from casework.cases.models.case import Case, CaseQuerySet
from casework.cases.models.records import CaseNote, CaseParty, Evidence, evidence_path

__all__ = [
    "Case",
    "CaseNote",
    "CaseParty",
    "CaseQuerySet",
    "Evidence",
    "evidence_path",
]
