from mediation.documents.models import Document, DocumentNumber, NumberCounter, NumberingSeries
from mediation.models.agreements import Agreement, AgreementLine, Instalment, Signature
from mediation.models.sessions import MediationSession, Participant

__all__ = [
    "Agreement",
    "AgreementLine",
    "Document",
    "DocumentNumber",
    "Instalment",
    "MediationSession",
    "NumberCounter",
    "NumberingSeries",
    "Participant",
    "Signature",
]
