"""Street b's objects of the later features (payments, work orders, governance, reviews, API
tokens...), built through their services for the foreign-ID attack (tests/test_foreign_ids/).
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from arrears.enforcement import PaymentOrder
from arrears.models import Payment
from arrears.services import payment_record, verified_amount_set
from arrears.services.enforcement import payment_order_issue
from casework.cases.choices import Channel
from casework.channels.imports import import_preview
from casework.channels.models import UpstreamOrder, UpstreamToken, WorkOrderImport
from casework.channels.tokens import upstream_token_create
from casework.core.roles import Role
from casework.core.uploads import check_evidence_file
from casework.governance.models import Campaign, Commitment, RoundTable, Screening
from casework.governance.services import (
    campaign_create,
    commitment_add,
    round_table_record,
    screening_record,
)
from casework.organisation.choices import TeamKind
from casework.ratings.models import RatingReview
from casework.ratings.services import case_rate
from mediation.choices import SignatureMethod
from mediation.models import Signature
from mediation.services.agreements import SignatureInput, agreement_sign
from platforms.api.models import ApiToken
from platforms.api.services import token_create
from platforms.models import EmployerQuestion, Invitation
from platforms.registry.services import invitation_create
from platforms.responses.services import question_ask
from tests.casework.channels.helpers import line, register, work_order_file
from tests.factories.cases import make_case, make_case_worker, put_case_in_state
from tests.factories.organisation import make_staff, make_team

# The kwarg `order_id` names a payment order under cases/ and a work order under work/upstream/:
# keyed (route prefix, name), the longest matching prefix wins over the plain name. The ledger's
# routes take the case whose money they are about.
UPSTREAM_ORDER = ("work/upstream/", "order_id")
LEDGER_CASE = ("cases/<id:case_id>/ledger/", "case_id")


def build_later_foreign_objects(world, rival) -> dict:
    """Street b's objects of the later features; returns {kwarg: id} and fills
    `world.later_objects` with (model, pk) pairs whose every field must not change.
    `rival` represents the foreign company. Call before the street's case IDs are listed."""
    org, b = world.org, world.org.b
    today = timezone.localdate()
    ids = {}

    # A platform API token of the foreign company's representative, and its question on the
    # foreign case.
    token, _secret = token_create(actor=rival, name="对方的系统")
    question = question_ask(actor=rival, case_id=world.case.pk, question="这起投诉还缺什么材料？")

    # The employer's signed copy scanned onto the foreign agreement.
    scan = check_evidence_file(
        SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n% signed copy\n%%EOF\n")
    )
    agreement_sign(
        actor=b.mediator,
        agreement_id=world.agreement.pk,
        signature=SignatureInput(
            side="employer",
            case_id=None,
            signer_name="王经理",
            method=SignatureMethod.SCAN,
            scan=scan,
        ),
    )
    signature = Signature.objects.filter(agreement=world.agreement).exclude(scan="").get()

    # Money on a verifying case of street b: a payment and a payment order for the rest.
    owed = make_case(
        worker=make_case_worker("李师傅"), street=b.street, platform=world.foreign_company
    )
    owed = put_case_in_state(owed, "verifying", b.coordinator)
    verified_amount_set(
        actor=b.coordinator,
        case_id=owed.pk,
        amount="3000.00",
        period_start=owed.period_start,
        period_end=owed.period_end,
        orders="订单400单",
        deductions="",
        reason="",
    )
    payment = payment_record(
        actor=b.coordinator,
        case_id=owed.pk,
        amount=Decimal("1000.00"),
        paid_on=today - timedelta(days=1),
        method="bank",
    )
    order = payment_order_issue(
        actor=b.coordinator, case_id=owed.pk, deadline=today + timedelta(days=15)
    )

    # An invitation to represent the foreign company (made by the registry's keeper).
    keeper = get_user_model().objects.create_superuser(
        username="registry.keeper", password="x" * 12
    )
    invitation, _link = invitation_create(
        actor=keeper,
        company_id=world.foreign_company.pk,
        name="周经理",
        mobile="13900007777",
        link_for=lambda token: f"/join/{token}/",
    )

    # Street b's supervisor: work orders (registered, imported) and an upstream token.
    b_supervisor = make_staff(
        role=Role.SUPERVISOR,
        team=make_team(unit=b.street, kind=TeamKind.UNIT_OFFICE),
        display_name="西城督导",
    )
    register(
        b.coordinator, b.street, reference="12345-B-0001", received_on=today - timedelta(days=1)
    )
    upstream = UpstreamOrder.objects.get(reference="12345-B-0001")
    preview = import_preview(
        actor=b.coordinator,
        channel=Channel.HOTLINE_12345,
        name="工单.csv",
        raw=work_order_file(
            [
                line(
                    "12345-B-0002",
                    street=b.street.name,
                    received=f"{today - timedelta(days=1)}",
                    start="2026-02-01",
                    end="2026-02-28",
                )
            ]
        ),
    )
    upstream_token, _secret = upstream_token_create(
        actor=b_supervisor, name="西城12345", channel=Channel.HOTLINE_12345, unit=b.street
    )

    # Governance of street b: a screening, a campaign, a round table and its commitment.
    screening = screening_record(
        actor=b.inspector,
        company_id=world.foreign_company.pk,
        unit_id=b.street.pk,
        screened_on=today,
        manner="online",
        inspector_ids=[b.inspector.pk],
        failed={"contracts": ""},
        correction_days=5,
    )
    campaign = campaign_create(
        actor=b_supervisor,
        name="西城春季清欠行动",
        unit_id=b.street.pk,
        starts_on=today,
        ends_on=today + timedelta(days=30),
        target_ids=[world.foreign_company.pk],
    )
    round_table = round_table_record(
        actor=b_supervisor,
        unit_id=b.street.pk,
        held_on=today - timedelta(days=1),
        topic="西城骑手圆桌会",
        participants="平台、骑手代表",
        minutes="讨论了休息保障。",
    )
    commitment = commitment_add(
        actor=b_supervisor,
        round_table_id=round_table.pk,
        party="闪送急送平台",
        promise="设立骑手驿站",
        due_on=today + timedelta(days=30),
    )

    # A concluded case of street b rated 非常不满意: its review.
    unhappy = make_case_worker("吴师傅")
    rated = make_case(worker=unhappy, street=b.street, platform=world.foreign_company)
    rated = put_case_in_state(rated, "resolved", org.supervisor)
    case_rate(actor=unhappy, case_id=rated.pk, level=1, comment="没人回电话")
    review = RatingReview.objects.get(case=rated)

    ids.update(
        {
            "token_id": token.pk,
            "pk": world.case.pk,  # mediation/<kind>/<pk>/: the case (or, for kind group, the group)
            "signature_id": signature.pk,
            LEDGER_CASE: owed.pk,
            "payment_id": payment.pk,
            "order_id": order.pk,
            "invitation_id": invitation.pk,
            "question_id": question.pk,
            "import_id": preview.batch.pk,
            UPSTREAM_ORDER: upstream.pk,
            ("work/upstream/", "token_id"): upstream_token.pk,
            "screening_id": screening.pk,
            "campaign_id": campaign.pk,
            "round_table_id": round_table.pk,
            "commitment_id": commitment.pk,
            "review_id": review.pk,
            "survivor_id": rated.pk,  # another case of street b
        }
    )
    world.later_objects = [
        (ApiToken, token.pk),
        (EmployerQuestion, question.pk),
        (Signature, signature.pk),
        (Payment, payment.pk),
        (PaymentOrder, order.pk),
        (Invitation, invitation.pk),
        (UpstreamOrder, upstream.pk),
        (WorkOrderImport, preview.batch.pk),
        (UpstreamToken, upstream_token.pk),
        (Screening, screening.pk),
        (Campaign, campaign.pk),
        (RoundTable, round_table.pk),
        (Commitment, commitment.pk),
        (RatingReview, review.pk),
    ]
    return ids
