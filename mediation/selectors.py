"""Reads of the mediation pages, for one user."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.core.access import visible_cases_q
from casework.core.errors import CaseNotFound
from casework.organisation.access import scope_for
from mediation.agreement_documents import STAFF_ROLES
from mediation.choices import AgreementStatus, ParticipantSide, SessionStatus
from mediation.documents.selectors import documents_by_subject
from mediation.models import Agreement, AgreementLine, Instalment, MediationSession, Signature
from mediation.services.agreements import required_signatures
from mediation.services.sessions import MEDIATION_ROLES, RECORDING_ROLES, mediators_for
from mediation.subjects import MEDIATABLE, Subject, load_subject


@dataclass
class AgreementView:
    agreement: Agreement
    documents: list
    missing: list[tuple[str, str]]  # (party choice value, label) still to sign

    @property
    def is_binding(self) -> bool:
        return self.agreement.status == AgreementStatus.BINDING


@dataclass
class MediationView:
    subject: Subject
    sessions: list[MediationSession]
    agreements: list[AgreementView]
    can_schedule: bool
    can_record: bool
    mediators: list

    @property
    def mediating_cases(self):
        return [c for c in self.subject.cases if c.state == CaseState.MEDIATING]

    @property
    def has_held_session(self) -> bool:
        """An agreement rests on a session that took place (services.agreements)."""
        return any(s.status == SessionStatus.HELD for s in self.sessions)

    @property
    def has_live_agreement(self) -> bool:
        return any(a.agreement.status != AgreementStatus.VOID for a in self.agreements)


def _party_label(side: str, case_id, agreement: Agreement) -> str:
    if side == ParticipantSide.WORKER:
        line = next(line for line in agreement.lines.all() if line.case_id == case_id)
        return f"{ParticipantSide.WORKER.label}: {line.case.worker_name} ({line.case.reference})"
    return str(ParticipantSide(side).label)


def party_value(side: str, case_id) -> str:
    return f"worker:{case_id}" if side == ParticipantSide.WORKER else side


def _subject_of(*, user, obj) -> tuple[str, int]:
    """("case", id) or ("group", id) of a session or agreement the user may see as staff."""
    subject = load_subject(actor=user, case_id=obj.case_id, group_id=obj.group_id)
    if not subject.roles & STAFF_ROLES:
        raise CaseNotFound
    return ("case", obj.case_id) if obj.case_id else ("group", obj.group_id)


def session_subject_for_user(*, user, session_id) -> tuple[str, int]:
    """The page a session belongs to, for staff who may see its case or whole group."""
    try:
        session = MediationSession.objects.only("case", "group").get(pk=int(session_id))
    except (MediationSession.DoesNotExist, TypeError, ValueError, OverflowError):
        raise CaseNotFound from None
    return _subject_of(user=user, obj=session)


def agreement_subject_for_user(*, user, agreement_id) -> tuple[str, int]:
    """The page an agreement belongs to, for staff who may see its case or whole group."""
    try:
        agreement = Agreement.objects.only("case", "group").get(pk=int(agreement_id))
    except (Agreement.DoesNotExist, TypeError, ValueError, OverflowError):
        raise CaseNotFound from None
    return _subject_of(user=user, obj=agreement)


def mediation_for_user(*, user, case_id=None, group_id=None) -> MediationView:
    """Sessions and agreements of a case or group the user may see (CaseNotFound otherwise)."""
    subject = load_subject(actor=user, case_id=case_id, group_id=group_id)
    if not subject.roles & STAFF_ROLES:
        raise CaseNotFound
    case_ids = [c.pk for c in subject.cases]
    sessions = list(
        MediationSession.objects.filter(**subject.as_fields)
        .select_related("mediator")
        .prefetch_related("participants")
        .order_by("-scheduled_at")
    )
    agreements = list(
        Agreement.objects.filter(lines__case__in=case_ids)
        # a group agreement reaching a case the user may not see is not theirs to read
        .exclude(lines__case__in=Case.objects.exclude(visible_cases_q(scope_for(user))))
        .distinct()
        .select_related("employer", "mediator", "voided_by")
        .prefetch_related(
            Prefetch("lines", queryset=AgreementLine.objects.select_related("case")),
            Prefetch("lines__instalments", queryset=Instalment.objects.order_by("due_on")),
            Prefetch("signatures", queryset=Signature.objects.select_related("case")),
        )
    )
    # Staff on these cases may download their agreements (agreement_documents.can_download).
    documents = documents_by_subject(agreements, kind_key="agreement")
    views = []
    for agreement in agreements:
        signed = {(s.side, s.case_id) for s in agreement.signatures.all()}
        missing = [
            (party_value(side, case_id), _party_label(side, case_id, agreement))
            for side, case_id in required_signatures(agreement)
            if (side, case_id) not in signed
        ]
        views.append(
            AgreementView(
                agreement=agreement,
                documents=documents[agreement.pk],
                missing=missing,
            )
        )
    can_schedule = bool(subject.roles & MEDIATION_ROLES) and any(
        c.state in MEDIATABLE for c in subject.cases
    )
    return MediationView(
        subject=subject,
        sessions=sessions,
        agreements=views,
        can_schedule=can_schedule,
        can_record=bool(subject.roles & RECORDING_ROLES),
        mediators=list(mediators_for(subject)) if can_schedule else [],
    )


@dataclass
class WorkerMediation:
    """What the worker's case page says about mediation."""

    sessions: list[MediationSession]  # to come (or under way), with their place or link
    live: Agreement | None  # awaiting signatures, or binding
    line: AgreementLine | None  # the worker's amount and payment dates in it
    voided: list[Agreement]  # drafts withdrawn, newest first

    @property
    def shown(self) -> bool:
        return bool(self.sessions or self.live or self.voided)


def worker_mediation_for_user(*, user, case) -> WorkerMediation:
    """The sessions to come and the agreements of the worker's own case (nothing for anyone
    else: staff read the mediation page)."""
    if case is None or case.worker_id != getattr(user, "pk", None):
        return WorkerMediation(sessions=[], live=None, line=None, voided=[])
    # A session stays listed through its first hours (it may run late, the link still works).
    sessions = list(
        MediationSession.objects.filter(
            Q(case=case) | Q(group_id=case.group_id, group__isnull=False),
            status=SessionStatus.SCHEDULED,
            scheduled_at__gte=timezone.now() - timedelta(hours=3),
        ).order_by("scheduled_at", "pk")
    )
    agreements = list(
        Agreement.objects.filter(lines__case=case)
        .distinct()
        .order_by("-drawn_up_at", "-pk")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=AgreementLine.objects.filter(case=case).prefetch_related(
                    Prefetch("instalments", queryset=Instalment.objects.order_by("due_on"))
                ),
            )
        )
    )
    live = next((a for a in agreements if a.status != AgreementStatus.VOID), None)
    return WorkerMediation(
        sessions=sessions,
        live=live,
        line=next(iter(live.lines.all()), None) if live else None,
        voided=[a for a in agreements if a.status == AgreementStatus.VOID],
    )
