from mediation.documents.models import Document
from mediation.models.agreements import Agreement, AgreementLine, Instalment, Signature
from mediation.models.sessions import MediationSession, Participant

__all__ = [
    "Agreement",
    "AgreementLine",
    "Document",
    "Instalment",
    "MediationSession",
    "Participant",
    "Signature",
]
