from mediation.contracts.models.clauses import ClauseTemplate, ContractClause
from mediation.contracts.models.contract import CollectiveContract
from mediation.contracts.models.proceedings import CongressVote, ConsultationRound, Representative
from mediation.contracts.models.versions import ContractVersion

__all__ = [
    "ClauseTemplate",
    "CollectiveContract",
    "CongressVote",
    "ConsultationRound",
    "ContractClause",
    "ContractVersion",
    "Representative",
]
