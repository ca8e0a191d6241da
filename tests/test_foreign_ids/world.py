"""The world of the foreign-ID attack: street a (the actors' own side) and street b (foreign),
built through the services."""

import hashlib
import io
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from casework.cases.choices import CaseState, Channel
from casework.cases.models import Case
from casework.cases.services.evidence import case_worker_message
from casework.clocks.extensions import deadline_extend
from casework.clocks.models import Deadline, DeadlineExtension
from casework.core.roles import Role
from casework.core.uploads import check_evidence_file
from casework.groups.models import CaseGroup
from casework.groups.services import group_add_cases
from casework.intake.services import PartyInput, case_file
from casework.notifications.models import Notification
from mediation.contracts.models import CollectiveContract
from mediation.documents.models import Document
from mediation.models import Agreement, MediationSession
from mediation.services.agreements import agreement_draw_up
from platforms.choices import CompanyKind
from platforms.models import Representative
from platforms.webhooks.services import endpoint_create, endpoint_ping
from tests.contracts.builders import add_clause, add_representatives, regional_terms
from tests.factories.cases import (
    make_case_worker,
    make_complaint,
    make_org,
    make_platform,
    put_case_in_state,
)
from tests.factories.foreign import LEDGER_CASE, build_later_foreign_objects
from tests.factories.organisation import make_staff
from tests.mediation.conftest import hold, schedule, terms_for


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("pay.jpg", buffer.getvalue(), content_type="image/jpeg")


class World:
    """Street a (the actors' own side) and street b (foreign), built through the services."""

    def __init__(self):
        org = self.org = make_org()
        self.own_platform = org.platform
        self.foreign_company = make_platform("闪送急送平台")

        # Street a: the actors' own case (mediating, with a session), and a group of two.
        self.own_case = self._case(org.worker, org.a.street, self.own_platform)
        self.own_case = put_case_in_state(self.own_case, CaseState.VERIFYING, org.supervisor)
        self.own_session = schedule(org, self.own_case)
        second = self._case(make_case_worker("王师傅"), org.a.street, self.own_platform)
        self.own_second = second
        self.own_group = group_add_cases(
            actor=org.a.coordinator, case_ids=[self.own_case.pk, second.pk]
        )

        # Street b: the other worker's case, in mediation, an agreement drawn up.
        b = org.b
        self.case = self._case(org.other_worker, b.street, self.foreign_company, files=[_jpeg()])
        self.evidence = self.case.evidence.get()
        self.case = put_case_in_state(self.case, CaseState.VERIFYING, org.supervisor)
        self.session = hold(org, self.case, actor=b.mediator)  # an agreement follows one
        self.agreement = agreement_draw_up(
            actor=b.mediator,
            terms=terms_for(self.case, amounts={self.case.pk: Decimal("2400.00")}),
            case_id=self.case.pk,
        )
        self.document = Document.objects.get(object_id=self.agreement.pk)
        # ... and a group of two more complaints of street b, against the platform street a's
        # cases name too (so that nothing but access keeps street a's cases out of it).
        g1 = self._case(make_case_worker("赵师傅"), b.street, self.own_platform)
        g2 = self._case(make_case_worker("钱师傅"), b.street, self.own_platform)
        self.group = group_add_cases(actor=b.coordinator, case_ids=[g1.pk, g2.pk])
        self.group_session = None
        self.deadline = Deadline.objects.filter(case=self.case).order_by("pk").first()
        # (self.case is in mediation: the inspection's extendable clock no longer runs there.)
        put_case_in_state(g1, CaseState.VERIFYING, b.coordinator)
        extendable = (
            Deadline.objects.filter(case=g1, rule__extension_length__gt=0, status="running")
            .order_by("pk")
            .first()
        )
        self.extension = deadline_extend(
            actor=b.coordinator, deadline_id=extendable.pk, reason="材料待补"
        )
        self.notification = (
            Notification.objects.filter(recipient=org.other_worker).order_by("pk").first()
        )
        # The foreign platform's webhook endpoint and one delivery (never sent: no commit here).
        rival = get_user_model().objects.create_user(username="rival.rep", password="x" * 12)
        Representative.objects.create(user=rival, company=self.foreign_company)
        self.endpoint, _secret = endpoint_create(
            actor=rival,
            company_id=self.foreign_company.pk,
            url="https://93.184.216.34/hook",
            events=["case.named"],
        )
        self.delivery = endpoint_ping(actor=rival, endpoint_id=self.endpoint.pk)
        # The later features' objects of street b (payments, work orders, governance, ...).
        self.later_ids = build_later_foreign_objects(self, rival)

        # A regional collective contract of street b, kept by the district.
        keeper = make_staff(role=Role.COORDINATOR, team=org.unit_office, display_name="劳动关系科")
        from mediation.contracts.services.terms import contract_create

        self.contract = contract_create(
            actor=keeper,
            terms=regional_terms(
                org,
                region=b.street,
                title="西城街道外卖配送行业集体合同",
                union_name="西城街道总工会",
            ),
        )
        add_representatives(self.contract, keeper)
        self.clause = add_clause(self.contract, keeper, "hourly-floor")
        self.representative = self.contract.representatives.order_by("pk").first()
        # ... and one of street a, which street a's supervisor keeps.
        self.own_contract = contract_create(actor=keeper, terms=regional_terms(org))
        add_representatives(self.own_contract, keeper)
        self.own_clause = add_clause(self.own_contract, keeper, "hourly-floor")

        self.case_ids = sorted(
            Case.objects.filter(jurisdiction=b.street).values_list("pk", flat=True)
        )

        # The actors: everyone of street a, workers, a representative, and nobody.
        self.actors = {
            "worker": org.worker,
            "another worker": make_case_worker("孙师傅"),
            "station coordinator": org.a.station_coordinator,
            "coordinator": org.a.coordinator,
            "mediator": org.a.mediator,
            "inspector": org.a.inspector,
            "street supervisor": make_staff(
                role=Role.SUPERVISOR, team=org.a.coordinators, display_name="街道督导"
            ),
            "platform representative": org.representative,
            "anonymous": None,
        }
        # Words only street b's pages would show (company names are the shared registry's).
        self.markers = [
            self.case.reference,
            g1.reference,
            "西城街道调解室",
            self.contract.title,
            "西城街道总工会",
            b.coordinator.username,
            b.mediator.username,
        ]

    @staticmethod
    def _case(worker, street, company, files=()):
        complaint = make_complaint(
            street=street, parties=[PartyInput(kind=CompanyKind.PLATFORM, company=company)]
        )
        case = case_file(actor=worker, complaint=complaint, channel=Channel.ONLINE)
        if files:
            case_worker_message(
                actor=worker,
                case_id=case.pk,
                body="",
                files=[check_evidence_file(f) for f in files],
            )
        return case

    # What a path converter names ------------------------------------------------------------

    def foreign_ids(self) -> dict:
        """{kwarg: id}, and {(route prefix, kwarg): id} where a name means different objects."""
        return {
            **self.later_ids,
            "case_id": self.case.pk,
            "evidence_id": self.evidence.pk,
            "group_id": self.group.pk,
            "session_id": self.session.pk,
            "agreement_id": self.agreement.pk,
            "document_id": self.document.pk,
            "contract_id": self.contract.pk,
            "clause_id": self.clause.pk,
            "representative_id": self.representative.pk,
            "number": 1,
            "company_id": self.foreign_company.pk,
            "notification_id": self.notification.pk,
            "deadline_id": self.deadline.pk,
            "extension_id": self.extension.pk,
            "endpoint_id": self.endpoint.pk,
            "delivery_id": self.delivery.pk,
        }

    def foreign_body(self) -> dict:
        """Every form field that names an object, naming street b's."""
        b = self.org.b
        return {
            "group": self.group.pk,
            "case": self.case.pk,
            "cases": [self.case.pk, *self.group.cases.values_list("pk", flat=True)],
            "case_id": self.case.pk,
            "assignee": b.coordinator.pk,
            "mediator": b.mediator.pk,
            "session": self.session.pk,
            "agreement": self.agreement.pk,
            "document": self.document.pk,
            "contract": self.contract.pk,
            "clause": self.clause.pk,
            "representative": self.representative.pk,
            "team": b.coordinators.pk,
            "jurisdiction": b.street.pk,
            "region": b.street.pk,
            "company": self.foreign_company.pk,
            "employer": self.foreign_company.pk,
            "notification": self.notification.pk,
            "deadline": self.deadline.pk,
            "party": f"worker:{self.case.pk}",
            f"a{self.agreement.pk}-party": f"worker:{self.case.pk}",
            "user": self.org.other_worker.pk,
            "worker": self.org.other_worker.pk,
            "reason": "测试原因",
            "expected_state": self.case.state,
            "place": "会议室",
            "scheduled_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "minutes": "纪要",
            "outcome": "agreement",
            "signer_name": "张三",
            "method": "in_person",
            "title": "标题",
            "body": "留言",
            # The later features' forms: street b, its inspector, its objects by name.
            "unit": b.street.pk,
            "street": b.street.pk,
            "inspectors": b.inspector.pk,
            "targets": self.foreign_company.pk,
            **{
                name.removesuffix("_id"): pk
                for name, pk in self.later_ids.items()
                if isinstance(name, str) and name != "pk"
            },
        }

    def own_ids(self, actor) -> dict:
        """The actor's own objects where they have some (else the foreign ones stay)."""
        own = {
            "case_id": self.own_case.pk,
            LEDGER_CASE: self.own_case.pk,
            "pk": self.own_case.pk,
            "group_id": self.own_group.pk,
            "session_id": self.own_session.pk,
            "company_id": self.own_platform.pk,
            "contract_id": self.own_contract.pk,
            "clause_id": self.own_clause.pk,
            "representative_id": self.own_contract.representatives.order_by("pk").first().pk,
        }
        mine = Notification.objects.filter(recipient=actor).order_by("pk").first()
        if actor and mine:
            own["notification_id"] = mine.pk
        return own

    # What must not change --------------------------------------------------------------------

    def foreign_checksum(self) -> str:
        """Every field of street b's rows, their history and timeline rows, the cases of its
        group (whatever their street), the other worker's notifications."""
        from casework.timeline.models import CaseEvent

        case_ids = self.case_ids
        parts = [
            Case.objects.filter(group=self.group).order_by("pk").values_list("pk"),
            Case.objects.filter(pk__in=case_ids).order_by("pk").values(),
            Case.history.filter(id__in=case_ids).values_list("history_id"),
            CaseEvent.objects.filter(case_id__in=case_ids).values_list("pk"),
            CaseGroup.objects.filter(pk=self.group.pk).values(),
            CaseGroup.history.filter(id=self.group.pk).values_list("history_id"),
            MediationSession.objects.filter(case_id__in=case_ids).values()
            | MediationSession.objects.filter(group=self.group).values(),
            Agreement.objects.filter(pk=self.agreement.pk).values(),
            self.agreement.signatures.values(),
            Document.objects.filter(pk=self.document.pk).values(),
            Deadline.objects.filter(case_id__in=case_ids).order_by("pk").values(),
            DeadlineExtension.objects.filter(deadline__case_id__in=case_ids).values(),
            Notification.objects.filter(recipient=self.org.other_worker).order_by("pk").values(),
            CollectiveContract.objects.filter(pk=self.contract.pk).values(),
            CollectiveContract.objects.filter(region=self.org.b.street).values_list("pk"),
            self.contract.clauses.order_by("pk").values(),
            self.contract.representatives.order_by("pk").values(),
            self.contract.rounds.values(),
            self.contract.versions.values_list("pk"),
            *(model.objects.filter(pk=pk).values() for model, pk in self.later_objects),
        ]
        digest = hashlib.sha256()
        for part in parts:
            digest.update(repr(list(part)).encode())
        return digest.hexdigest()
